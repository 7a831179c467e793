//! The [CORS-preflight cache](https://fetch.spec.whatwg.org/#cors-preflight-cache).
//!
//! Entries are grouped by (byte-serialized origin, URL) and, for Firefox, the credentials flag,
//! in a hash map: a lookup is one hash probe and a scan of that group's few method and header
//! entries. The number of groups is bounded by the profile's capacity; the oldest group goes
//! first. Time is passed in: `now` is any monotonic clock the caller keeps.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::hash::{Hash, Hasher};
use core::ops::Range;
use core::time::Duration;

use hashbrown::{Equivalent, HashMap};
use smol_str::SmolStr;

use crate::header::name::eq_ignore_case;
use crate::profile::{CacheCredentials, Profile};

/// What a [cache entry](https://fetch.spec.whatwg.org/#concept-cache) grants: a method or a
/// header name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Grant {
    /// The method (byte-exact) or header name (lowercased); may be `*`.
    name: SmolStr,
    /// When the entry must be removed.
    expires: Duration,
    /// Whether the preflight was for a request whose credentials mode is "include".
    credentials: bool,
}

/// The grants of one (origin, URL) group, in one vector: its methods, then its header names.
#[derive(Clone, Debug, Default)]
struct Group {
    grants: Vec<Grant>,
    /// How many of `grants`, from the start, are methods.
    methods: usize,
}

impl Group {
    fn methods(&self) -> &[Grant] {
        &self.grants[..self.methods]
    }

    fn header_names(&self) -> &[Grant] {
        &self.grants[self.methods..]
    }

    /// Updates or creates the grants of one answer's methods and header names.
    fn store<'n>(
        &mut self,
        methods: impl IntoIterator<Item = &'n str>,
        header_names: impl IntoIterator<Item = &'n str>,
        expires: Duration,
        credentials: bool,
    ) {
        // Names past MAX_GRANTS in one answer are not cached (see MAX_GRANTS).
        let (methods, header_names) = (
            methods.into_iter().take(MAX_GRANTS),
            header_names.into_iter().take(MAX_GRANTS),
        );
        if self.grants.is_empty() {
            // A new group: room for the whole answer at once.
            self.grants
                .reserve_exact(methods.size_hint().0 + header_names.size_hint().0);
        }
        for method in methods {
            if upsert(
                &mut self.grants,
                0..self.methods,
                method,
                expires,
                credentials,
                |a, b| a == b,
            ) {
                self.methods += 1;
            }
        }
        for name in header_names {
            let names = self.methods..self.grants.len();
            upsert(
                &mut self.grants,
                names,
                name,
                expires,
                credentials,
                eq_ignore_case,
            );
        }
    }
}

/// A group's key; the eviction queue shares its strings.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Key {
    origin: SmolStr,
    url: SmolStr,
    /// `Some` only when the credentials flag is part of the key (Firefox).
    credentials: Option<bool>,
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        KeyRef {
            origin: &self.origin,
            url: &self.url,
            credentials: self.credentials,
        }
        .hash(state);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct KeyRef<'a> {
    origin: &'a str,
    url: &'a str,
    credentials: Option<bool>,
}

impl Equivalent<Key> for KeyRef<'_> {
    fn equivalent(&self, key: &Key) -> bool {
        self.origin == key.origin && self.url == key.url && self.credentials == key.credentials
    }
}

/// The request a lookup or write is about.
#[derive(Clone, Copy, Debug)]
pub struct CacheRequest<'a> {
    /// The [byte-serialized request origin](https://fetch.spec.whatwg.org/#byte-serializing-a-request-origin)
    /// (may be `null`).
    pub origin: &'a str,
    /// The request's current URL, serialized.
    pub url: &'a str,
    /// Whether the credentials mode is "include".
    pub credentials: bool,
}

/// The CORS-preflight cache of one browser (one network partition).
#[derive(Clone, Debug)]
pub struct PreflightCache {
    groups: HashMap<Key, Group>,
    order: VecDeque<Key>,
    capacity: usize,
    credentials_in_key: bool,
    wildcards_match: bool,
}

impl PreflightCache {
    /// An empty cache with `profile`'s capacity and keying.
    pub fn new(profile: &Profile) -> Self {
        Self {
            groups: HashMap::new(),
            order: VecDeque::new(),
            capacity: profile.cache_capacity.max(1),
            credentials_in_key: profile.cache_credentials == CacheCredentials::PartOfKey,
            wildcards_match: profile.cache_wildcards_match,
        }
    }

    /// The number of (origin, URL) groups held.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    fn key_ref<'a>(&self, request: &CacheRequest<'a>) -> KeyRef<'a> {
        KeyRef {
            origin: request.origin,
            url: request.url,
            credentials: self.credentials_in_key.then_some(request.credentials),
        }
    }

    /// [Cache entry match](https://fetch.spec.whatwg.org/#concept-cache-match): live grants of
    /// the request's group that its credentials mode may use.
    fn grants<'s>(
        &'s self,
        request: &CacheRequest<'_>,
        now: Duration,
        pick: fn(&Group) -> &[Grant],
    ) -> impl Iterator<Item = &'s Grant> + 's {
        let include = request.credentials;
        self.groups
            .get(&self.key_ref(request))
            .into_iter()
            .flat_map(move |group| pick(group).iter())
            // Entries must be removed once max-age seconds have passed.
            .filter(move |grant| now < grant.expires)
            // "entry's credentials is true, or entry's credentials is false and request's
            // credentials mode is not "include"."
            .filter(move |grant| grant.credentials || !include)
    }

    /// [Method cache entry match](https://fetch.spec.whatwg.org/#concept-cache-match-method):
    /// an entry whose method is `method` or `*`.
    ///
    /// Note: a `*` entry stored for a credentialed request is taken literally (rules O1), as the
    /// live method check would.
    pub fn matches_method(&self, request: &CacheRequest<'_>, method: &str, now: Duration) -> bool {
        self.grants(request, now, Group::methods).any(|grant| {
            grant.name == method
                || (self.wildcards_match
                    && grant.name == "*"
                    && !grant.credentials
                    && !request.credentials)
        })
    }

    /// [Header-name cache entry match](https://fetch.spec.whatwg.org/#concept-cache-match-header):
    /// an entry whose header name is `name` (case-insensitively), or `*` when `name` is not
    /// `Authorization` (or when `authorization_by_wildcard`, a browser deviation).
    pub fn matches_header(
        &self,
        request: &CacheRequest<'_>,
        name: &str,
        authorization_by_wildcard: bool,
        now: Duration,
    ) -> bool {
        let wildcard_ok = !request.credentials
            && (authorization_by_wildcard
                || !crate::header::name::is_cors_non_wildcard_request_header_name(name));
        self.grants(request, now, Group::header_names).any(|grant| {
            eq_ignore_case(&grant.name, name)
                || (self.wildcards_match && grant.name == "*" && !grant.credentials && wildcard_ok)
        })
    }

    /// CORS-preflight fetch step 7.9–7.10: update or [create](https://fetch.spec.whatwg.org/#concept-cache-create-entry)
    /// an entry for each method and header name, with `max_age` seconds to live.
    pub fn store<'n>(
        &mut self,
        request: &CacheRequest<'_>,
        methods: impl IntoIterator<Item = &'n str>,
        header_names: impl IntoIterator<Item = &'n str>,
        max_age: u64,
        now: Duration,
    ) {
        let expires = now.saturating_add(Duration::from_secs(max_age));
        let key = self.key_ref(request);
        let credentials = request.credentials;
        // One hash probe when the group exists, two when it is created.
        if let Some(group) = self.groups.get_mut(&key) {
            group.store(methods, header_names, expires, credentials);
            return;
        }
        // Evict the oldest groups (and any expired ones met on the way) to stay bounded.
        while self.groups.len() >= self.capacity {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.groups.remove(&oldest);
        }
        let owned = Key {
            origin: key.origin.into(),
            url: key.url.into(),
            credentials: key.credentials,
        };
        self.order.push_back(owned.clone());
        let group = self.groups.entry(owned).or_default();
        group.store(methods, header_names, expires, credentials);
    }

    /// [Clear cache entries](https://fetch.spec.whatwg.org/#concept-cache-clear): remove every
    /// entry for the request's origin and URL, whatever its credentials.
    pub fn clear(&mut self, request: &CacheRequest<'_>) {
        for credentials in [None, Some(false), Some(true)] {
            self.groups.remove(&KeyRef {
                origin: request.origin,
                url: request.url,
                credentials,
            });
        }
        self.order.retain(|key| self.groups.contains_key(key));
    }
}

/// The most method names, and the most header names, one (origin, URL) group holds, and the most
/// of one answer's names that are cached: storing a server's list costs at most this many scans
/// of at most this many entries, however long the list (an `Access-Control-Allow-Headers` of
/// thousands of names made it quadratic). A name past the bound is not cached, so its next
/// request is preflighted again: never an allow the standard would not give.
pub const MAX_GRANTS: usize = 1024;

/// Refreshes the grant of `name` among `grants[range]`, or inserts one at the range's end;
/// whether it inserted.
fn upsert(
    grants: &mut Vec<Grant>,
    range: Range<usize>,
    name: &str,
    expires: Duration,
    credentials: bool,
    same: fn(&str, &str) -> bool,
) -> bool {
    let full = range.len() >= MAX_GRANTS;
    match grants[range.clone()]
        .iter_mut()
        .find(|g| same(&g.name, name) && g.credentials == credentials)
    {
        Some(grant) => {
            grant.expires = expires;
            false
        }
        None if full => false,
        None => {
            let grant = Grant {
                name: name.into(),
                expires,
                credentials,
            };
            grants.insert(range.end, grant);
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQ: CacheRequest<'static> = CacheRequest {
        origin: "https://a.example",
        url: "https://b.example/x",
        credentials: false,
    };
    const CRED: CacheRequest<'static> = CacheRequest {
        credentials: true,
        ..REQ
    };

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn expiry_and_case() {
        let mut cache = PreflightCache::new(&Profile::SPEC);
        cache.store(&REQ, ["PUT"], ["x-custom"], 5, secs(0));
        assert!(cache.matches_method(&REQ, "PUT", secs(4)));
        assert!(!cache.matches_method(&REQ, "PUT", secs(5)));
        assert!(!cache.matches_method(&REQ, "put", secs(1)));
        assert!(cache.matches_header(&REQ, "X-Custom", false, secs(1)));
        let other_url = CacheRequest {
            url: "https://b.example/y",
            ..REQ
        };
        assert!(!cache.matches_method(&other_url, "PUT", secs(1)));
    }

    #[test]
    fn credentials_semantics() {
        let mut spec = PreflightCache::new(&Profile::SPEC);
        spec.store(&CRED, ["PUT"], [], 60, secs(0));
        assert!(
            spec.matches_method(&REQ, "PUT", secs(1)),
            "a credentialed entry serves requests without credentials"
        );
        let mut spec = PreflightCache::new(&Profile::SPEC);
        spec.store(&REQ, ["PUT"], [], 60, secs(0));
        assert!(!spec.matches_method(&CRED, "PUT", secs(1)));

        let mut firefox = PreflightCache::new(&Profile::FIREFOX);
        firefox.store(&CRED, ["PUT"], [], 60, secs(0));
        assert!(
            !firefox.matches_method(&REQ, "PUT", secs(1)),
            "Firefox keys on the credentials flag"
        );
        assert!(firefox.matches_method(&CRED, "PUT", secs(1)));
    }

    #[test]
    fn wildcards() {
        let mut cache = PreflightCache::new(&Profile::SPEC);
        cache.store(&REQ, ["*"], ["*"], 60, secs(0));
        assert!(cache.matches_method(&REQ, "DELETE", secs(1)));
        assert!(cache.matches_header(&REQ, "x-a", false, secs(1)));
        assert!(!cache.matches_header(&REQ, "authorization", false, secs(1)));
        assert!(cache.matches_header(&REQ, "authorization", true, secs(1)));
        assert!(!cache.matches_method(&CRED, "DELETE", secs(1)));
    }

    #[test]
    fn firefox_takes_wildcards_literally() {
        let mut cache = PreflightCache::new(&Profile::FIREFOX);
        cache.store(&REQ, ["*"], ["*"], 60, secs(0));
        assert!(!cache.matches_method(&REQ, "DELETE", secs(1)));
        assert!(!cache.matches_header(&REQ, "x-a", true, secs(1)));
    }

    #[test]
    fn a_group_holds_at_most_max_grants_names() {
        use alloc::string::String;
        let names: Vec<String> = (0..MAX_GRANTS + 500)
            .map(|i| alloc::format!("x-{i}"))
            .collect();
        let mut cache = PreflightCache::new(&Profile::SPEC);
        cache.store(&REQ, ["PUT"], names.iter().map(String::as_str), 60, secs(0));
        let cached = |name: &str| cache.matches_header(&REQ, name, false, secs(1));
        assert!(cached("X-0"));
        assert!(cached(&names[MAX_GRANTS - 1]));
        // Past the bound: not cached, so the next request with it is preflighted again.
        assert!(!cached(&names[MAX_GRANTS]));
        // A name already held is still refreshed when the group is full.
        cache.store(&REQ, [], ["x-0"], 60, secs(50));
        assert!(cache.matches_header(&REQ, "x-0", false, secs(100)));
        assert!(!cache.matches_header(&REQ, "x-1", false, secs(100)));
    }

    #[test]
    fn bounded_and_cleared() {
        let profile = Profile {
            cache_capacity: 3,
            ..Profile::SPEC
        };
        let mut cache = PreflightCache::new(&profile);
        let urls = [
            "https://b.example/1",
            "https://b.example/2",
            "https://b.example/3",
            "https://b.example/4",
        ];
        for url in urls {
            cache.store(&CacheRequest { url, ..REQ }, ["PUT"], [], 60, secs(0));
        }
        assert_eq!(cache.len(), 3);
        assert!(!cache.matches_method(
            &CacheRequest {
                url: urls[0],
                ..REQ
            },
            "PUT",
            secs(1)
        ));
        assert!(cache.matches_method(
            &CacheRequest {
                url: urls[3],
                ..REQ
            },
            "PUT",
            secs(1)
        ));
        cache.clear(&CacheRequest {
            url: urls[3],
            ..REQ
        });
        assert!(!cache.matches_method(
            &CacheRequest {
                url: urls[3],
                ..REQ
            },
            "PUT",
            secs(1)
        ));
        assert_eq!(cache.len(), 2);
    }
}
