//! The native half of the Arrow batch API (`loansyncro.batch`): schedules and positions of
//! many loans read from Arrow columns and written into Arrow-layout buffers, computed in Rust
//! on several threads without the GIL and without a Python object per loan or per row.
//!
//! `loansyncro/batch.py` hands over each input column as its Arrow buffers wrapped in NumPy
//! `uint8` arrays without copying (a kind, the array's offset and length, the validity bitmap,
//! the data buffer and, for strings, the offsets buffer) and wraps the buffers returned here
//! with `pyarrow.Array.from_buffers` (decimal128 from 16-byte little-endian integers, date32
//! from days since 1970-01-01, bit-packed validity). The column contract is documented in
//! `bindings/python/README.md` ("Arrow batch API").
//!
//! Files: `input` (the column contract and reading Arrow buffers), `money` (output scale and
//! precision), `run` (threads), `errors` (row errors and the `error` column), `schedules`,
//! `positions`.

mod errors;
mod input;
mod money;
mod positions;
mod run;
mod schedules;

pub(crate) use positions::batch_positions;
pub(crate) use schedules::batch_schedules;
