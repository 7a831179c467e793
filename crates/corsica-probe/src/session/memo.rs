//! A session's memo: each distinct wire request gets one [`Slot`], whose answer is fetched once
//! and shared (behind an [`Arc`]) by every fetch that sends the same request.
//!
//! A wire request is the engine's request plus what the browser adds, and the browser is the
//! session's own: the same engine request from the same page always makes the same wire
//! request. So the memo also remembers, for each engine request it has seen (with the page's
//! origin and mode), the slot its wire request got: a request the engine decides again (the
//! same request under another profile) finds its slot without building the wire request.

use std::collections::HashMap;
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
    origin: Origin,
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
            && self.origin == *origin
    }
}

/// The slots of one session (see the [module docs](self)).
#[derive(Debug, Default)]
pub(super) struct Memo {
    hasher: Hasher,
    wires: HashMap<Arc<WireRequest>, Slot, Hasher>,
    /// Boxed: a table of a few entries stays small enough for the allocator's fast path.
    decided: HashTable<Box<Decided>>,
}

impl Memo {
    /// The slot of `wire`.
    pub(super) fn slot(&mut self, wire: WireRequest) -> Slot {
        if let Some(slot) = self.wires.get(&wire) {
            return slot.clone();
        }
        let slot = Slot {
            wire: Arc::new(wire),
            record: Arc::default(),
        };
        self.wires.insert(slot.wire.clone(), slot.clone());
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
        let hash = self.hasher.hash_one((
            sent.kind,
            sent.method.as_str(),
            &sent.url,
            &sent.headers,
            sent.credentials,
            origin,
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
                origin: origin.clone(),
                mode,
                slot: slot.clone(),
            }),
            |d| d.hash,
        );
        slot
    }
}
