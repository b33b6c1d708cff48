//! Compiled components on disk, so a restart loads them (1-3 ms) instead of
//! compiling them again (hundreds of ms).
//!
//! Files live at `<cache_dir>/wasmtime-<engine>/<sha256 of the component>.cwasm`,
//! where `<engine>` is a digest of wasmtime's precompile-compatibility hash (its
//! version and every setting that changes the machine code): a host with another
//! wasmtime or other settings uses another folder and never reads these files.

use crate::errors::HostError;
use sha2::{Digest, Sha256};
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use wasmtime::component::Component;
use wasmtime::Engine;

/// A component's content address: sha256 of its bytes.
pub(crate) type Digest256 = [u8; 32];

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// sha256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> Digest256 {
    Sha256::digest(bytes).into()
}

/// The on-disk cache of one engine's compiled components.
#[derive(Debug)]
pub(crate) struct DiskCache {
    dir: PathBuf,
}

/// Distinguishes temporary files written at once by threads of one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl DiskCache {
    /// The cache of `engine`'s components under `root`, created if missing.
    pub(crate) fn open(root: &Path, engine: &Engine) -> Result<Self, HostError> {
        let dir = root.join(format!("wasmtime-{}", &engine_key(engine)[..16]));
        fs::create_dir_all(&dir).map_err(|source| HostError::CacheDir {
            path: dir.clone(),
            source,
        })?;
        Ok(DiskCache { dir })
    }

    fn path(&self, digest: &Digest256) -> PathBuf {
        self.dir.join(format!("{}.cwasm", hex(digest)))
    }

    /// The compiled component of `digest`, if cached. A file wasmtime refuses
    /// (another version slipped in, or it is damaged) is removed.
    pub(crate) fn load(&self, engine: &Engine, digest: &Digest256) -> Option<Component> {
        let path = self.path(digest);
        if !path.is_file() {
            return None;
        }
        // SAFETY: `deserialize_file` trusts the file to be wasmtime's own output.
        // Only `store` below writes this folder: it writes wasmtime's
        // `serialize` output to a temporary file, syncs it and renames it into
        // place, so a file under this name is complete. The folder is keyed by
        // the engine's compatibility hash, and wasmtime checks its own header
        // (version, settings) before using the code. Whoever can write to the
        // cache folder can run native code in this process, like anyone who can
        // replace the binary: keep it owned by the service.
        match unsafe { Component::deserialize_file(engine, &path) } {
            Ok(component) => Some(component),
            Err(_) => {
                let _ = fs::remove_file(&path);
                None
            }
        }
    }

    /// Writes `component`'s compiled code for `digest`, atomically.
    pub(crate) fn store(&self, digest: &Digest256, component: &Component) -> io::Result<()> {
        let bytes = component
            .serialize()
            .map_err(|err| io::Error::other(format!("{err:#}")))?;
        let temp = self.dir.join(format!(
            ".{}.{}-{}.tmp",
            hex(digest),
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = fs::File::create(&temp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&temp, self.path(digest))
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }
}

/// Hex sha256 of the engine's precompile-compatibility hash.
fn engine_key(engine: &Engine) -> String {
    let mut hasher = Sha256Hasher(Sha256::new());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hex(&hasher.0.finalize())
}

/// Feeds a `Hash` value into sha256 (std's hashers are not meant to be stable).
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    fn finish(&self) -> u64 {
        let digest = self.0.clone().finalize();
        u64::from_le_bytes([
            digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
        ])
    }
}
