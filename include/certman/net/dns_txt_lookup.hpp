// Asks one DNS server for the TXT records of one name over UDP (RFC 1035 §4.2.1), for DNS-01 propagation checks
// (challenge/dns01_alidns_solver.hpp). The query has a random id; only a datagram from that server that decodes
// as the answer to it counts (dns_message.hpp), others are ignored until the timeout. A datagram is read into a
// 4096-byte buffer (a larger one is cut and fails to decode). A truncated answer (TC: a name with many TXT
// records, more than 512 bytes) is asked again over TCP (RFC 1035 §4.2.2, RFC 7766), within the same timeout;
// a TCP answer is at most 65535 bytes by its length prefix.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "certman/core/result.hpp"
#include "certman/net/dns_message.hpp"
#include "certman/net/endpoint.hpp"

namespace certman::net {

// Errors: errc::timeout when no answer (UDP, then TCP if needed) arrives within `timeout`;
// errc::invalid_argument for a name that cannot be encoded; socket errors as system error codes (the message
// says whether the TCP retry failed); decode errors of the TCP answer as decode_txt_response's.
boost::asio::awaitable<result<dns_txt_answer>> lookup_txt(endpoint server, std::string name,
                                                          std::chrono::milliseconds timeout);

}  // namespace certman::net
