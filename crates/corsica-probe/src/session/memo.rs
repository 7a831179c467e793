//! A session's memo: each distinct wire request gets one [`Slot`], whose answer is fetched once
//! and shared (behind an [`Arc`]) by every fetch that sends the same request.
//!
//! A wire request is the engine's request plus what the browser adds, and the browser is the
//! session's own: the same engine request from the same page always makes the same wire
//! request. So the memo also remembers, for each engine request it has seen (with the page's
//! origin and mode), the slot its wire request got: a request the engine decides again (the
//! same request under another profile) finds its slot without building the wire request.

use std::hash::BuildHasher;
use std::sync::Arc;

use corsica::url::Url;
use corsica::{ExchangeKind, HeaderList, Origin, RequestMode, SentRequest};
use hashbrown::HashTable;
use smol_str::SmolStr;
use tokio::sync::OnceCell;

use super::Record;
use crate::client::WireRequest;

/// A fast hash: the keys come from the engine and this session, not from an adversary.
type Hasher = foldhash::fast::RandomState;

/// One distinct wire request, and its record once it has been sent.
#[derive(Clone, Debug)]
pub(super) struct Slot {
    /// The request.
    pub(super) wire: Arc<WireRequest>,
    /// Filled by the first fetch that sends it.
    pub(super) record: Arc<OnceCell<Record>>,
}

/// An engine request as a page sent it: everything its wire request is made of (the body is
/// not on the wire request).
#[derive(Debug)]
struct Decided {
    hash: u64,
    kind: ExchangeKind,
    method: SmolStr,
    url: Url,
    headers: HeaderList,
    credentials: bool,
    /// The page's origin, serialized: that says all of a tuple origin, and `null` only an
    /// opaque one.
    origin: SmolStr,
    mode: RequestMode,
    slot: Slot,
}

impl Decided {
    fn is(&self, sent: &SentRequest, origin: &Origin, mode: RequestMode) -> bool {
        self.kind == sent.kind
            && self.credentials == sent.credentials
            && self.mode == mode
            && self.method == sent.method
            && self.url == sent.url
            && self.headers == sent.headers
            && self.origin == origin.serialization()
    }
}

/// A wire request's hash: its method and URL. The headers are left to the comparison: the
/// few requests a session sends to one URL seldom differ only in them, and hashing them costs
/// more than comparing them.
fn wire_hash(hasher: &Hasher, wire: &WireRequest) -> u64 {
    hasher.hash_one((wire.method.as_str(), wire.url.as_str()))
}

/// The slots of one session (see the [module docs](self)).
#[derive(Debug, Default)]
pub(super) struct Memo {
    hasher: Hasher,
    wires: HashTable<Slot>,
    /// Boxed: a table of a few entries stays small enough for the allocator's fast path.
    decided: HashTable<Box<Decided>>,
}

impl Memo {
    /// The slot of `wire`.
    pub(super) fn slot(&mut self, wire: WireRequest) -> Slot {
        let hash = wire_hash(&self.hasher, &wire);
        if let Some(slot) = self.wires.find(hash, |s| *s.wire == wire) {
            return slot.clone();
        }
        let slot = Slot {
            wire: Arc::new(wire),
            record: Arc::default(),
        };
        let hasher = &self.hasher;
        self.wires
            .insert_unique(hash, slot.clone(), |s| wire_hash(hasher, &s.wire));
        slot
    }

    /// The slot of the wire request that a page of `origin`, whose request has `mode`, sends
    /// for `sent`; `wire` builds that request, when this engine request is new to the memo.
    pub(super) fn decided(
        &mut self,
        sent: &SentRequest,
        origin: &Origin,
        mode: RequestMode,
        wire: impl FnOnce() -> WireRequest,
    ) -> Slot {
        // The headers are left to the comparison, as in `wire_hash`.
        let hash = self.hasher.hash_one((
            sent.kind,
            sent.method.as_str(),
            sent.url.as_str(),
            sent.credentials,
            origin.serialization(),
            mode,
        ));
        if let Some(decided) = self.decided.find(hash, |d| d.is(sent, origin, mode)) {
            return decided.slot.clone();
        }
        let slot = self.slot(wire());
        self.decided.insert_unique(
            hash,
            Box::new(Decided {
                hash,
                kind: sent.kind,
                method: sent.method.clone(),
                url: sent.url.clone(),
                headers: sent.headers.clone(),
                credentials: sent.credentials,
                origin: SmolStr::new(origin.serialization()),
                mode,
                slot: slot.clone(),
            }),
            |d| d.hash,
        );
        slot
    }
}
