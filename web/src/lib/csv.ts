/** The download name of a loan's schedule CSV: a slug of its title. */
export function csvFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return `${slug || 'loan'}-schedule.csv`;
}

