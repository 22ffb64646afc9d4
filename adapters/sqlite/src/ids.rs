//! [`SqliteIds`]: sequential ids drawn from the file, unique across every handle and process
//! that writes it.

use loansyncro_core::app::ports::{IdGenerator, SequentialIds};

use crate::SqliteStore;

/// Ids `prefix_000001`, `prefix_000002`, ... (the format of [`SequentialIds`]) whose numbers
/// come from the file ([`SqliteStore::draw_id_number`]): two portfolios open on the same file,
/// in one process or two, never make the same id, and a reopened file continues after every id
/// it ever held.
///
/// If the file cannot be written (locked by another writer for longer than the busy timeout,
/// an I/O error), the id is made from the clock and the process id instead (`prefix_t..p..`,
/// still unique); the write that follows then usually reports the storage error itself.
///
/// ```
/// use loansyncro_core::app::ports::IdGenerator;
/// use loansyncro_sqlite::{SqliteIds, SqliteStore};
/// let store = SqliteStore::open_in_memory()?;
/// let (a, b) = (SqliteIds::new(store.clone()), SqliteIds::new(store));
/// assert_eq!(a.new_id("loan"), "loan_000001");
/// assert_eq!(b.new_id("rep"), "rep_000002");
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SqliteIds {
    store: SqliteStore,
}

impl SqliteIds {
    /// Ids drawn from `store`'s file.
    pub fn new(store: SqliteStore) -> SqliteIds {
        SqliteIds { store }
    }
}

impl IdGenerator for SqliteIds {
    fn new_id(&self, prefix: &str) -> String {
        match self.store.draw_id_number() {
            Ok(n) => SequentialIds::starting_at(n).new_id(prefix),
            Err(_) => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                let unique = format!("t{nanos}p{}", std::process::id());
                if prefix.is_empty() {
                    unique
                } else {
                    format!("{prefix}_{unique}")
                }
            }
        }
    }
}
