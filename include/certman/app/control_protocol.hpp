// The control socket's protocol (pure: no I/O, no clock). The daemon listens on a Unix stream socket
// (control_server.hpp); `certman renew/revoke/reload/status` connect to it (control_client.hpp).
// Framing: one JSON object per line ('\n'-terminated, RFC 8259 text, UTF-8). The client sends one request
//     {"command":"renew","names":["www"],"force":true,"config":"/etc/certman/certman.toml"}
// and the daemon answers with any number of progress lines, then exactly one final line:
//     {"event":"progress","text":"certificate www: renewal forced by the operator"}
//     {"event":"done","exit":0,"message":"","data":{...}}
// `exit` is the command's exit code (daemon.hpp), which the CLI exits with. `data` is present for `status`
// only (the /status document). A connection carries at most max_requests requests, one after the other.
// The socket is a trust boundary like any other: every bound below is checked before anything is acted on.
#pragma once
#include <boost/json/value.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/core/result.hpp"

namespace certman::app::control {

inline constexpr std::size_t max_line_bytes = 4096;  // a request or progress line, without its '\n'
// A reply line read by the CLI: the final line of `status` carries the whole /status document, about 300
// bytes per certificate (bench/README.md, "Many certificates"), so thousands of certificates fit.
inline constexpr std::size_t max_reply_line_bytes = 16 * 1024 * 1024;
inline constexpr std::size_t max_names = 64;         // certificate names in one request
inline constexpr std::size_t max_requests = 4;        // requests on one connection
inline constexpr std::chrono::seconds request_timeout{5};  // from accept (or the previous reply) to a full request line

enum class command { renew, revoke, reload, status };

struct request {
    command cmd = command::status;
    std::vector<std::string> names;  // renew: empty = every certificate; revoke: exactly one
    bool force = false;              // renew
    std::string reason = "unspecified";  // revoke: unspecified|keyCompromise|superseded|cessationOfOperation
    std::string config;              // the client's configuration file (absolute), compared with the daemon's
};

// Parses one request line (without '\n'). Errors: errc::invalid_argument, the message saying what is wrong for
// the caller (not JSON, not an object, unknown command or field, a field of the wrong type, a bound exceeded, a
// bad name or reason).
result<request> parse_request(std::string_view line);
// The request as one line, '\n' included. Keys in a fixed order, so the bytes are stable.
std::string to_line(const request& r);

// RFC 5280 §5.3.1 CRLReason code for a revoke reason accepted by parse_request; -1 for anything else.
int revocation_reason_code(std::string_view reason);

struct reply {
    bool done = false;    // false: a progress line
    std::string text;     // progress text, or the final message (may be empty)
    int exit_code = 0;    // final line only
    std::optional<boost::json::value> data;  // final line only
};

std::string progress_line(std::string_view text);
std::string done_line(int exit_code, std::string_view message, const boost::json::value* data = nullptr);
// Parses one reply line. Errors: errc::invalid_argument, the message saying what this client does not understand.
result<reply> parse_reply(std::string_view line);

// Splits a byte stream into lines. feed() appends bytes; next() returns the next complete line without its
// '\n'. A line longer than `max_bytes` makes overflowed() true for good (the peer is not following the
// protocol; the caller closes). The daemon reads requests with the default; the CLI reads replies with
// max_reply_line_bytes.
class line_splitter {
public:
    explicit line_splitter(std::size_t max_bytes = max_line_bytes) : max_bytes_(max_bytes) {}
    void feed(std::string_view bytes);
    std::optional<std::string> next();
    bool overflowed() const { return overflowed_; }

private:
    std::size_t max_bytes_;
    std::string buffer_;
    bool overflowed_ = false;
};

}  // namespace certman::app::control
