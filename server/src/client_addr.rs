//! The address a request comes from, for per-address limits: the connection's peer, or, when the
//! peer is one of the trusted reverse proxies (`--trusted-proxies`), the client that proxy names
//! in `Forwarded` (RFC 7239) or `X-Forwarded-For`. The hops are read from the right, each
//! trusted one giving way to the address it was asked by, so a client cannot pass as another by
//! writing the header itself: what it writes sits left of what a trusted proxy appended.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use ipnet::IpNet;
use portico_domain::principal::ClientAddr;

/// A `--trusted-proxies` entry: a CIDR range, or one address.
pub fn parse_range(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR range such as 10.0.0.0/8"))
}

/// The client's address for a request that came in on `connection` with `headers`.
pub fn resolve(connection: Option<&ConnectInfo<SocketAddr>>, headers: &HeaderMap, trusted: &[IpNet]) -> ClientAddr {
    let peer = connection.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    let mut client = peer;
    if trusted.is_empty() {
        return ClientAddr(client);
    }
    let mut hops = forwarded_hops(headers);
    while trusted.iter().any(|range| range.contains(&client)) {
        match hops.pop() {
            Some(Some(hop)) => client = hop,
            // No hop left, or one that is no address (`unknown`, an obfuscated name): the last
            // trusted proxy is as far as the chain can be followed.
            Some(None) | None => break,
        }
    }
    ClientAddr(client)
}

/// The addresses the proxies recorded, nearest last: `Forwarded`'s `for=` when present, else
/// `X-Forwarded-For`. An entry that is not an address is `None`.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).map(str::to_owned).collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(name, _)| name.eq_ignore_ascii_case("for"))
                    .and_then(|(_, node)| node_address(node))
            })
            .collect();
    }
    values("x-forwarded-for").iter().flat_map(|value| value.split(',')).map(node_address).collect()
}

/// The address of a node as proxies write it: `192.0.2.60`, `192.0.2.60:4711`,
/// `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn node_address(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(address) = node.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = node.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    node.strip_prefix('[').and_then(|rest| rest.split(']').next()).and_then(|inner| inner.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(peer: &str, headers: &[(&str, &str)], trusted: &[&str]) -> String {
        let connection = ConnectInfo(SocketAddr::new(peer.parse().unwrap(), 40000));
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
        }
        let trusted: Vec<IpNet> = trusted.iter().map(|range| parse_range(range).unwrap()).collect();
        resolve(Some(&connection), &map, &trusted).0.to_string()
    }

    #[test]
    fn only_trusted_proxies_are_believed() {
        let xff = [("x-forwarded-for", "203.0.113.9")];
        assert_eq!(client("198.51.100.1", &xff, &[]), "198.51.100.1", "no proxy configured");
        assert_eq!(client("198.51.100.1", &xff, &["10.0.0.0/8"]), "198.51.100.1", "not from the proxy");
        assert_eq!(client("10.1.2.3", &xff, &["10.0.0.0/8"]), "203.0.113.9");
        assert_eq!(client("10.1.2.3", &[], &["10.0.0.0/8"]), "10.1.2.3", "the proxy's own request");
    }

    #[test]
    fn hops_are_read_from_the_right_through_trusted_proxies_only() {
        // The client wrote "1.1.1.1" itself; the proxy appended the address it saw.
        let spoofed = [("x-forwarded-for", "1.1.1.1, 203.0.113.9")];
        assert_eq!(client("10.0.0.5", &spoofed, &["10.0.0.5"]), "203.0.113.9");
        // Two proxies of ours, the outer one's address recorded by the inner one.
        let chained = [("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.7")];
        assert_eq!(client("10.0.0.5", &chained, &["10.0.0.0/24"]), "203.0.113.9");
        let split = [("x-forwarded-for", "203.0.113.9"), ("x-forwarded-for", "10.0.0.7")];
        assert_eq!(client("10.0.0.5", &split, &["10.0.0.0/24"]), "203.0.113.9");
        let unknown = [("x-forwarded-for", "unknown")];
        assert_eq!(client("10.0.0.5", &unknown, &["10.0.0.0/24"]), "10.0.0.5");
    }

    #[test]
    fn forwarded_is_read_in_its_forms() {
        let trusted = ["127.0.0.1"];
        let one = [("forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43")];
        assert_eq!(client("127.0.0.1", &one, &trusted), "192.0.2.60");
        let v6 = [("forwarded", r#"for="[2001:db8:cafe::17]:4711", For=198.51.100.17"#)];
        assert_eq!(client("127.0.0.1", &v6, &trusted), "198.51.100.17");
        assert_eq!(client("127.0.0.1", &v6, &["127.0.0.1", "198.51.100.0/24"]), "2001:db8:cafe::17");
        // Forwarded wins over X-Forwarded-For when both are sent.
        let both = [("forwarded", "for=192.0.2.60"), ("x-forwarded-for", "203.0.113.9")];
        assert_eq!(client("127.0.0.1", &both, &trusted), "192.0.2.60");
    }

    #[test]
    fn ranges_are_cidrs_or_addresses() {
        assert_eq!(parse_range("10.0.0.0/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(parse_range(" 127.0.0.1 ").unwrap().to_string(), "127.0.0.1/32");
        assert_eq!(parse_range("::1").unwrap().to_string(), "::1/128");
        assert!(parse_range("10.0.0.0/33").is_err());
        assert!(parse_range("proxy.internal").unwrap_err().contains("proxy.internal"));
    }
}
