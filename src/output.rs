//! Writes a build's files atomically: everything goes to a temporary folder beside the
//! output folder, which then replaces it. On any error the output folder is untouched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Top-level entries a build writes; an output folder holding anything else is not ours to
/// replace.
const OURS: &[&str] = &[
    "template.yaml",
    "template.json",
    "statemachines",
    "mappings",
    "diagrams",
];

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
    /// The folder exists and holds files a build did not write.
    #[error("refusing to replace `{dir}`: it holds `{entry}`, which lambdaless-gen did not write")]
    Foreign {
        /// The output folder.
        dir: PathBuf,
        /// The first foreign entry.
        entry: String,
    },
    /// The output path exists and is not a folder.
    #[error("`{0}` exists and is not a folder")]
    NotADir(PathBuf),
    /// A file-system error.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// What was being written.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// The staging folder's name starts with this.
const NEW_PREFIX: &str = ".lambdaless-new-";

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Where the previous output goes while it is replaced: the staging folder's unique name with
/// `old` for `new`. (Reserving a name with a temporary folder cost a mkdir and an rmdir per
/// build.) A leftover non-empty folder of that name makes the rename fail, leaving the output
/// untouched; an empty one is replaced.
fn old_name(staged: &Path) -> PathBuf {
    let name = staged.file_name().unwrap_or_default().to_string_lossy();
    staged.with_file_name(name.replacen(NEW_PREFIX, ".lambdaless-old-", 1))
}

/// Replaces `dir` with exactly `files` (paths relative to `dir`).
pub(crate) fn write_atomically(dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
    let replacing = dir.exists();
    if replacing {
        if !dir.is_dir() {
            return Err(WriteError::NotADir(dir.to_owned()));
        }
        for entry in fs::read_dir(dir).map_err(io_err(dir))? {
            let name = entry
                .map_err(io_err(dir))?
                .file_name()
                .to_string_lossy()
                .into_owned();
            if !OURS.contains(&name.as_str()) {
                return Err(WriteError::Foreign {
                    dir: dir.to_owned(),
                    entry: name,
                });
            }
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    if !replacing {
        fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    }
    let staging = tempfile::Builder::new()
        .prefix(NEW_PREFIX)
        .tempdir_in(&parent)
        .map_err(io_err(&parent))?;
    let mut made: Vec<PathBuf> = vec![staging.path().to_owned()];
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent().filter(|p| !made.iter().any(|m| m == p)) {
            fs::create_dir_all(p).map_err(io_err(p))?;
            made.push(p.to_owned());
        }
        fs::write(&path, bytes).map_err(io_err(&path))?;
    }
    let staged = staging.keep();
    if replacing {
        let old = old_name(&staged);
        fs::rename(dir, &old).map_err(io_err(dir))?;
        if let Err(e) = fs::rename(&staged, dir) {
            // Put the previous output back before reporting.
            let _ = fs::rename(&old, dir);
            let _ = fs::remove_dir_all(&staged);
            return Err(WriteError::Io {
                path: dir.to_owned(),
                source: e,
            });
        }
        fs::remove_dir_all(&old).map_err(io_err(&old))?;
    } else {
        fs::rename(&staged, dir).map_err(|e| {
            let _ = fs::remove_dir_all(&staged);
            WriteError::Io {
                path: dir.to_owned(),
                source: e,
            }
        })?;
    }
    Ok(())
}
