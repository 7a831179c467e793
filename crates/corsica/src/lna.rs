//! [Local Network Access](https://wicg.github.io/local-network-access/): IP address spaces.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

use crate::url::Host;

/// An [IP address space](https://wicg.github.io/local-network-access/#ip-address-space-section).
///
/// Ordered from the most private: `Loopback < Local < Public`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AddressSpace {
    /// `loopback`: the machine itself.
    Loopback,
    /// `local`: the local network (RFC 1918, link-local, ULA …).
    Local,
    /// `public`: everything else.
    Public,
}

impl AddressSpace {
    /// The spelling Chromium prints (`ShortAddressSpace`) and the scenario format uses.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Loopback => "loopback",
            Self::Local => "local",
            Self::Public => "public",
        }
    }

    /// [Is more private than](https://wicg.github.io/local-network-access/#local-network-request-section)
    /// `other`.
    pub fn is_less_public_than(self, other: Self) -> bool {
        self < other
    }
}

impl fmt::Display for AddressSpace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AddressSpace {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "loopback" => Ok(Self::Loopback),
            "local" => Ok(Self::Local),
            "public" => Ok(Self::Public),
            _ => Err(()),
        }
    }
}

/// The address space of an IP address, per the LNA table (IPv4-mapped IPv6 unwrapped first).
pub fn address_space_of_ip(ip: IpAddr) -> AddressSpace {
    match ip {
        IpAddr::V4(v4) => address_space_of_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => address_space_of_v4(v4),
            None => address_space_of_v6(v6),
        },
    }
}

fn address_space_of_v4(ip: Ipv4Addr) -> AddressSpace {
    let [a, b, ..] = ip.octets();
    if ip.is_unspecified() || a == 127 || (a == 198 && (b & 0xfe) == 18) {
        // 0.0.0.0/32, 127.0.0.0/8, 198.18.0.0/15.
        AddressSpace::Loopback
    } else if a == 0
        || a == 10
        || (a == 100 && (b & 0xc0) == 64)
        || (a == 172 && (b & 0xf0) == 16)
        || (a == 192 && b == 168)
        || (a == 169 && b == 254)
    {
        // 0.0.0.0/8, 10/8, 100.64/10, 172.16/12, 192.168/16, 169.254/16.
        AddressSpace::Local
    } else {
        AddressSpace::Public
    }
}

fn address_space_of_v6(ip: Ipv6Addr) -> AddressSpace {
    let s = ip.segments();
    if ip.is_loopback() || ip.is_unspecified() {
        AddressSpace::Loopback
    } else if (s[0] & 0xfe00) == 0xfc00          // fc00::/7
        || (s[0] & 0xffc0) == 0xfe80             // fe80::/10
        || (s[0] & 0xffc0) == 0xfec0             // fec0::/10
        || (s[0] == 0x2001 && s[1] == 0x0db8)    // 2001:db8::/32
        || (s[0] & 0xfff0) == 0x3ff0
    // 3fff::/20
    {
        AddressSpace::Local
    } else {
        AddressSpace::Public
    }
}

/// The address space a host names by itself: IP literals, and `localhost` (Chromium treats
/// `localhost` and `*.localhost` as loopback). `None` for other domains: the address is only
/// known after DNS.
pub fn address_space_of_host<S: AsRef<str>>(host: &Host<S>) -> Option<AddressSpace> {
    match host {
        Host::Ipv4(ip) => Some(address_space_of_v4(*ip)),
        Host::Ipv6(ip) => Some(address_space_of_ip(IpAddr::V6(*ip))),
        Host::Domain(d) => is_localhost(d.as_ref()).then_some(AddressSpace::Loopback),
    }
}

/// `localhost` or a name under it, which resolves to loopback.
pub(crate) fn is_localhost(domain: &str) -> bool {
    domain == "localhost" || domain.ends_with(".localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space(ip: &str) -> AddressSpace {
        address_space_of_ip(ip.parse().unwrap())
    }

    #[test]
    fn table() {
        assert_eq!(space("127.0.0.1"), AddressSpace::Loopback);
        assert_eq!(space("198.19.0.1"), AddressSpace::Loopback);
        assert_eq!(space("192.168.1.10"), AddressSpace::Local);
        assert_eq!(space("172.31.0.1"), AddressSpace::Local);
        assert_eq!(space("172.32.0.1"), AddressSpace::Public);
        assert_eq!(space("100.64.0.1"), AddressSpace::Local);
        assert_eq!(space("8.8.8.8"), AddressSpace::Public);
        assert_eq!(space("::1"), AddressSpace::Loopback);
        assert_eq!(space("::ffff:10.0.0.1"), AddressSpace::Local);
        assert_eq!(space("fd00::1"), AddressSpace::Local);
        assert_eq!(space("2001:db8::1"), AddressSpace::Local);
        assert_eq!(space("2606:4700::1"), AddressSpace::Public);
        assert!(AddressSpace::Loopback.is_less_public_than(AddressSpace::Public));
    }
}
