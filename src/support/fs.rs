//! Reading the files a user names — specs, `$ref`d files, settings, case files, baselines,
//! fuzz records, certificates — only when each is a regular file under a size cap, so
//! `/dev/zero`, a FIFO or a huge file is one clear error, never a hang or unbounded memory.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest file gauntlet reads: generous (real specs run to tens of megabytes).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The bytes of `path`, a regular file of at most [`MAX_FILE`] bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Read { path: path.to_owned(), source };
    // Stat before open: opening a FIFO would block until someone writes to it.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(refused(path, "not a regular file".into()));
    }
    if meta.len() > MAX_FILE {
        return Err(refused(path, too_large()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while read (or lies about its size) still stops at the cap.
    file.take(MAX_FILE + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(refused(path, too_large()));
    }
    Ok(bytes)
}

/// The text of `path` (UTF-8), under the same rules as [`read`].
pub fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read(path)?).map_err(|e| {
        refused(
            path,
            format!("not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// Why a file or document over [`MAX_FILE`] is refused.
pub fn too_large() -> String {
    format!("larger than {} MiB, the most gauntlet reads", MAX_FILE / (1024 * 1024))
}

fn refused(path: &Path, message: String) -> Error {
    Error::Read { path: path.to_owned(), source: std::io::Error::other(message) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused_and_files_are_read() {
        let err = read(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(err.contains("/dev/zero") && err.contains("not a regular file"), "{err}");
        let err = read(Path::new("src")).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        assert!(read_text(Path::new("Cargo.toml")).unwrap().contains("[package]"));
    }
}
