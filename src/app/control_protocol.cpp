// The control socket's protocol (contract in include/certman/app/control_protocol.hpp).
#include "certman/app/control_protocol.hpp"
#include <array>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include "certman/core/result.hpp"

namespace certman::app {
bool config_valid_name(std::string_view s);  // config_parser.cpp: the rule for [[certificate]] names
}

namespace certman::app::control {
namespace json = boost::json;

namespace {
constexpr std::array<std::string_view, 4> command_names{"renew", "revoke", "reload", "status"};
// RFC 5280 §5.3.1 CRLReason values a subscriber may give (RFC 8555 §7.6 leaves the choice to the CA).
constexpr std::array<std::pair<std::string_view, int>, 4> reasons{
    {{"unspecified", 0}, {"keyCompromise", 1}, {"superseded", 4}, {"cessationOfOperation", 5}}};

// One line as a JSON object. Errors: errc::invalid_argument, the message saying what is wrong with the line.
result<json::object> parse_object(std::string_view line, std::size_t max_bytes) {
    if (line.size() > max_bytes)
        return failure{errc::invalid_argument, "line longer than " + std::to_string(max_bytes) + " bytes"};
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec) return failure{errc::invalid_argument, "not JSON: " + ec.message()};
    if (!v.is_object()) return failure{errc::invalid_argument, "expected one JSON object per line"};
    return std::move(v.as_object());
}

failure bad(std::string message) { return failure{errc::invalid_argument, std::move(message)}; }

// Reads the optional fields of a request; the error names the field.
result<void> read_fields(const json::object& o, request& r) {
    for (const auto& [key, value] : o) {
        if (key == "command") continue;
        if (key == "force") {
            if (!value.is_bool()) return bad("\"force\": expected true or false");
            r.force = value.get_bool();
        } else if (key == "reason") {
            if (!value.is_string()) return bad("\"reason\": expected a string");
            r.reason = std::string(value.get_string());
            if (revocation_reason_code(r.reason) < 0)
                return bad("\"reason\": expected unspecified, keyCompromise, superseded or cessationOfOperation");
        } else if (key == "config") {
            if (!value.is_string()) return bad("\"config\": expected a string");
            r.config = std::string(value.get_string());
        } else if (key == "names") {
            if (!value.is_array()) return bad("\"names\": expected an array of certificate names");
            if (value.get_array().size() > max_names)
                return bad("\"names\": more than " + std::to_string(max_names) + " names");
            for (const auto& n : value.get_array()) {
                if (!n.is_string() || !config_valid_name(n.get_string()))
                    return bad("\"names\": expected certificate names (a-z, 0-9, '-', '_', '.'; up to 64)");
                r.names.emplace_back(n.get_string());
            }
        } else {
            return bad("unknown field \"" + std::string(key) + "\"");
        }
    }
    return {};
}
}  // namespace

int revocation_reason_code(std::string_view reason) {
    for (const auto& [name, code] : reasons)
        if (name == reason) return code;
    return -1;
}

result<request> parse_request(std::string_view line) {
    auto o = parse_object(line, max_line_bytes);
    if (!o) return o.error();
    const auto* c = o->if_contains("command");
    if (!c || !c->is_string()) return bad("\"command\": expected renew, revoke, reload or status");
    request r;
    std::size_t i = 0;
    while (i < command_names.size() && command_names[i] != c->get_string()) ++i;
    if (i == command_names.size()) return bad("unknown command \"" + std::string(c->get_string()) + "\"");
    r.cmd = static_cast<command>(i);
    if (auto fields = read_fields(*o, r); !fields) return fields.error();
    if (r.cmd == command::revoke && r.names.size() != 1) return bad("revoke: expected exactly one name");
    return r;
}

std::string to_line(const request& r) {
    json::object o;
    o["command"] = command_names[static_cast<std::size_t>(r.cmd)];
    json::array names;
    for (const auto& n : r.names) names.emplace_back(n);
    o["names"] = std::move(names);
    o["force"] = r.force;
    o["reason"] = r.reason;
    o["config"] = r.config;
    return json::serialize(o) + "\n";
}

std::string progress_line(std::string_view text) {
    json::object o;
    o["event"] = "progress";
    o["text"] = text;
    return json::serialize(o) + "\n";
}

std::string done_line(int exit_code, std::string_view message, const json::value* data) {
    json::object o;
    o["event"] = "done";
    o["exit"] = exit_code;
    o["message"] = message;
    if (data) o["data"] = *data;
    return json::serialize(o) + "\n";
}

result<reply> parse_reply(std::string_view line) {
    auto o = parse_object(line, max_reply_line_bytes);
    if (!o) return o.error();
    const auto* event = o->if_contains("event");
    if (!event || !event->is_string()) return bad("a reply without \"event\"");
    reply r;
    if (event->get_string() == "progress") {
        const auto* t = o->if_contains("text");
        if (!t || !t->is_string()) return bad("a progress line without \"text\"");
        r.text = std::string(t->get_string());
        return r;
    }
    if (event->get_string() != "done") return bad("unknown event \"" + std::string(event->get_string()) + "\"");
    r.done = true;
    const auto* code = o->if_contains("exit");
    if (!code || !code->is_int64() || code->get_int64() < 0 || code->get_int64() > 255)
        return bad("a final line without an exit code (0-255)");
    r.exit_code = static_cast<int>(code->get_int64());
    if (const auto* m = o->if_contains("message"); m && m->is_string()) r.text = std::string(m->get_string());
    if (const auto* d = o->if_contains("data")) r.data = *d;
    return r;
}

void line_splitter::feed(std::string_view bytes) {
    if (overflowed_) return;
    buffer_.append(bytes);
    const auto nl = buffer_.find('\n');
    // Only the line being assembled counts: complete lines wait for next().
    if ((nl == std::string::npos ? buffer_.size() : nl) > max_bytes_) overflowed_ = true;
}

std::optional<std::string> line_splitter::next() {
    if (overflowed_) return std::nullopt;
    const auto nl = buffer_.find('\n');
    if (nl == std::string::npos) return std::nullopt;
    std::string line = buffer_.substr(0, nl);
    buffer_.erase(0, nl + 1);
    if (const auto more = buffer_.find('\n'); (more == std::string::npos ? buffer_.size() : more) > max_bytes_)
        overflowed_ = true;
    return line;
}

}  // namespace certman::app::control
