//! Files written whole or not at all (reports, baselines, fuzz records): the text goes to a temporary file in the same
//! folder, renamed over the report only once complete. A run killed, interrupted mid-write or
//! stopped by an unreachable target leaves the previous report as it was.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A report file being written; [`AtomicFile::commit`] puts it in place.
pub struct AtomicFile {
    path: PathBuf,
    /// The temporary file renamed over `path`; `None` when `path` is not a regular file
    /// (`/dev/null`, `/dev/stdout`, a FIFO), which is written in place and never replaced.
    temp: Option<PathBuf>,
    out: Option<BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// Creates the folder and a temporary file beside `path`, so an unwritable path fails
    /// before anything is sent.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let err = |source| Error::Report { path: path.to_owned(), source };
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(parent) = parent {
            std::fs::create_dir_all(parent).map_err(err)?;
        }
        let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
        if special {
            let file = std::fs::OpenOptions::new().write(true).open(path).map_err(err)?;
            let out = Some(BufWriter::new(file));
            return Ok(AtomicFile { path: path.to_owned(), temp: None, out });
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let temp =
            parent.unwrap_or(Path::new(".")).join(format!(".{name}.{}.tmp", std::process::id()));
        let file = std::fs::File::create(&temp).map_err(err)?;
        Ok(AtomicFile { path: path.to_owned(), temp: Some(temp), out: Some(BufWriter::new(file)) })
    }

    /// Opens `path` itself for a report written as the run goes (NDJSON events), so that a
    /// reader can follow it; the folder is created as for [`AtomicFile::create`].
    pub fn in_place(path: &Path) -> Result<AtomicFile> {
        let err = |source| Error::Report { path: path.to_owned(), source };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(err)?;
        }
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(err)?;
        Ok(AtomicFile { path: path.to_owned(), temp: None, out: Some(BufWriter::new(file)) })
    }

    /// Flushes the text and renames it over the report.
    pub fn commit(mut self) -> Result<()> {
        let err = |source| Error::Report { path: self.path.clone(), source };
        let Some(out) = self.out.take() else { return Ok(()) };
        let file = out.into_inner().map_err(|e| err(e.into_error()))?;
        match self.temp.take() {
            Some(temp) => {
                file.sync_all().map_err(err)?;
                std::fs::rename(&temp, &self.path).map_err(err)
            }
            None => Ok(()),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.out {
            Some(out) => out.write(buf),
            None => Err(io::Error::other("report already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed: the report stays as it was, and the half-written text goes.
        if let Some(temp) = self.temp.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_not_committed_leaves_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junit.xml");
        std::fs::write(&path, "old").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new, half").unwrap();
        drop(file);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    /// `--junit /dev/null` once renamed a regular file over the device.
    #[test]
    fn a_device_is_written_in_place_never_replaced() {
        let mut file = AtomicFile::create(Path::new("/dev/null")).unwrap();
        file.write_all(b"gone").unwrap();
        file.commit().unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(!meta.is_file(), "/dev/null is still a device");
    }
}
