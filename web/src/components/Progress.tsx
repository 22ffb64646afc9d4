import { ratio } from '../lib/format';

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const v = Math.min(1, Math.max(0, value));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(v * 100)} aria-valuetext={ratio(v)}>
      <div className="progress-fill" style={{ width: `${v * 100}%` }} />
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const text = status === 'paid' ? 'Paid' : status === 'defaulted' ? 'Defaulted' : 'Active';
  return <span className={`badge badge-${status}`} data-status={status}>{text}</span>;
}
