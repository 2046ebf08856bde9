#include "toml_reader.hpp"
#include "certman/core/duration.hpp"

namespace certman::app::detail {

std::string type_name(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date/time";
    }
}

std::string toml_reader::where(const toml::node* node) const {
    auto line = node ? node->source().begin.line : table_.source().begin.line;
    return source_ + ":" + std::to_string(line);
}

void toml_reader::fail_at(const toml::node* node, std::string_view key, const std::string& what) const {
    throw config_error{where(node) + ": [" + section_ + "] " + std::string(key) + ": " + what};
}

void toml_reader::fail(std::string_view key, const std::string& what) const { fail_at(table_.get(key), key, what); }

void toml_reader::reject_unknown(std::initializer_list<std::string_view> allowed) const {
    for (const auto& [k, v] : table_) {
        bool known = false;
        for (auto a : allowed) known = known || a == k.str();
        if (known) continue;
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        throw config_error{source_ + ":" + std::to_string(k.source().begin.line) + ": [" + section_ + "] unknown key '" +
                           std::string(k.str()) + "'; expected one of: " + list};
    }
}

void toml_reader::require(std::string_view key, std::string_view expected) const {
    if (!has(key)) fail_at(nullptr, key, "missing; expected " + std::string(expected));
}

void toml_reader::read(std::string_view key, std::string& out) const {
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (!n->is_string()) fail_at(n, key, "expected a string, got " + type_name(*n));
    out = n->as_string()->get();
}

void toml_reader::read(std::string_view key, bool& out) const {
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (!n->is_boolean()) fail_at(n, key, "expected true or false, got " + type_name(*n));
    out = n->as_boolean()->get();
}

void toml_reader::read(std::string_view key, int& out, long long min, long long max) const {
    std::size_t wide = static_cast<std::size_t>(out);
    read(key, wide, min, max);
    out = static_cast<int>(wide);
}

void toml_reader::read(std::string_view key, std::size_t& out, long long min, long long max) const {
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (!n->is_integer()) fail_at(n, key, "expected an integer, got " + type_name(*n));
    long long v = n->as_integer()->get();
    if (v < min || v > max)
        fail_at(n, key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got " +
                            std::to_string(v));
    out = static_cast<std::size_t>(v);
}

void toml_reader::read(std::string_view key, std::chrono::seconds& out) const {
    std::optional<std::chrono::seconds> o;
    read(key, o);
    if (o) out = *o;
}

void toml_reader::read(std::string_view key, std::optional<std::chrono::seconds>& out) const {
    const toml::node* n = table_.get(key);
    if (!n) return;
    const std::string expected = "expected a duration such as \"90s\", \"15m\", \"12h\", \"30d\" or seconds";
    if (n->is_integer()) {
        if (n->as_integer()->get() < 0) fail_at(n, key, expected);
        out = std::chrono::seconds(n->as_integer()->get());
        return;
    }
    if (!n->is_string()) fail_at(n, key, expected + ", got " + type_name(*n));
    auto d = parse_duration(n->as_string()->get());
    if (!d) fail_at(n, key, expected + ", got \"" + n->as_string()->get() + "\"");
    out = *d;
}

void toml_reader::read(std::string_view key, net::endpoint& out) const {
    const toml::node* n = table_.get(key);
    if (!n) return;
    const std::string expected = "expected \"IPv4:port\" or \"[IPv6]:port\"";
    if (!n->is_string()) fail_at(n, key, expected + ", got " + type_name(*n));
    auto ep = net::parse_endpoint(n->as_string()->get());
    if (!ep) fail_at(n, key, expected + ", got \"" + n->as_string()->get() + "\"");
    out = *ep;
}

void toml_reader::read(std::string_view key, std::vector<std::string>& out) const {
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (!n->is_array()) fail_at(n, key, "expected an array of strings, got " + type_name(*n));
    out.clear();
    for (const auto& e : *n->as_array()) {
        if (!e.is_string()) fail_at(&e, key, "expected an array of strings, found " + type_name(e));
        out.push_back(e.as_string()->get());
    }
}

void toml_reader::read(std::string_view key, std::vector<int>& out, long long min, long long max) const {
    const toml::node* n = table_.get(key);
    if (!n) return;
    if (!n->is_array()) fail_at(n, key, "expected an array of integers, got " + type_name(*n));
    out.clear();
    for (const auto& e : *n->as_array()) {
        if (!e.is_integer() || e.as_integer()->get() < min || e.as_integer()->get() > max)
            fail_at(&e, key, "expected integers from " + std::to_string(min) + " to " + std::to_string(max));
        out.push_back(static_cast<int>(e.as_integer()->get()));
    }
}

void toml_reader::read_choice(std::string_view key, std::string& out,
                              std::initializer_list<std::string_view> choices) const {
    read_choice(key, out, std::span<const std::string_view>(choices.begin(), choices.size()));
}

void toml_reader::read_choice(std::string_view key, std::string& out, std::span<const std::string_view> choices) const {
    std::string v = out;
    read(key, v);
    for (auto c : choices)
        if (c == v) {
            out = v;
            return;
        }
    std::string list;
    for (auto c : choices) list += (list.empty() ? "" : "|") + std::string(c);
    fail(key, "expected one of " + list + ", got \"" + v + "\"");
}

}  // namespace certman::app::detail
