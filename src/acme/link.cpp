#include "certman/acme/link.hpp"
#include <boost/url.hpp>
#include <cctype>
#include "certman/core/ascii.hpp"

namespace certman::acme {
namespace {
// A small scanner over one header value; RFC 8288 §3 grammar, with RFC 9110 OWS and quoted-string.
class scanner {
public:
    explicit scanner(std::string_view s) : s_(s) {}
    bool done() const { return p_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[p_]; }
    void skip_ows() {
        while (!done() && (s_[p_] == ' ' || s_[p_] == '\t')) ++p_;
    }
    bool eat(char c) {
        skip_ows();
        if (peek() != c) return false;
        ++p_;
        return true;
    }
    std::optional<std::string> target() {
        if (!eat('<')) return std::nullopt;
        const auto end = s_.find('>', p_);
        if (end == std::string_view::npos) return std::nullopt;
        std::string t(s_.substr(p_, end - p_));
        p_ = end + 1;
        return t;
    }
    std::string token() {
        skip_ows();
        const std::size_t start = p_;
        while (!done() && s_[p_] != '=' && s_[p_] != ';' && s_[p_] != ',' && s_[p_] != ' ' && s_[p_] != '\t') ++p_;
        return std::string(s_.substr(start, p_ - start));
    }
    std::string value() {
        skip_ows();
        if (peek() != '"') return token();
        ++p_;
        std::string out;
        while (!done() && s_[p_] != '"') {
            if (s_[p_] == '\\' && p_ + 1 < s_.size()) ++p_;
            out += s_[p_++];
        }
        if (!done()) ++p_;  // closing quote
        return out;
    }
    // Skips to just after the next top-level ',' (used to recover from a malformed link).
    void skip_link() {
        bool quoted = false;
        while (!done()) {
            const char c = s_[p_++];
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) return;
        }
    }

private:
    std::string_view s_;
    std::size_t p_ = 0;
};

std::vector<std::string> split_rel(const std::string& v) {
    std::vector<std::string> out;
    std::size_t p = 0;
    while (p < v.size()) {
        const auto end = v.find(' ', p);
        const auto part = v.substr(p, end == std::string::npos ? std::string::npos : end - p);
        if (!part.empty()) out.push_back(ascii_lower(part));
        if (end == std::string::npos) break;
        p = end + 1;
    }
    return out;
}

// Parses the params after a target up to the next ',' (or the end). Returns false on a malformed param list.
bool parse_params(scanner& sc, link& l) {
    while (sc.eat(';')) {
        const std::string name = ascii_lower(sc.token());
        if (name.empty()) return false;
        std::string value;
        if (sc.eat('=')) value = sc.value();
        if (name == "rel" && l.rel.empty()) l.rel = split_rel(value);  // §3.3: only the first rel counts
    }
    sc.skip_ows();
    return sc.done() || sc.peek() == ',';
}

void parse_value(std::string_view value, std::string_view base, std::vector<link>& out) {
    scanner sc(value);
    while (true) {
        sc.skip_ows();
        if (sc.done()) return;
        if (sc.eat(',')) continue;
        link l;
        auto target = sc.target();
        if (!target || !parse_params(sc, l)) {
            sc.skip_link();
            continue;
        }
        l.target = std::move(*target);
        if (!base.empty())
            if (auto r = resolve_reference(base, l.target)) l.target = std::move(*r);
        out.push_back(std::move(l));
    }
}
}  // namespace

std::vector<link> parse_links(std::span<const std::string_view> header_values, std::string_view base) {
    std::vector<link> out;
    for (auto v : header_values) parse_value(v, base, out);
    return out;
}

std::vector<std::string> links_with_rel(std::span<const std::string_view> header_values, std::string_view rel,
                                        std::string_view base) {
    const std::string want = ascii_lower(std::string(rel));
    std::vector<std::string> out;
    for (auto& l : parse_links(header_values, base))
        for (const auto& r : l.rel)
            if (r == want) {
                out.push_back(l.target);
                break;
            }
    return out;
}

std::optional<std::string> resolve_reference(std::string_view base, std::string_view reference) {
    if (reference.empty()) return std::nullopt;
    auto ref = boost::urls::parse_uri_reference(reference);
    if (!ref) return std::nullopt;
    if (ref->has_scheme()) return std::string(reference);
    auto b = boost::urls::parse_uri(base);
    if (!b) return std::nullopt;
    boost::urls::url dest;
    if (!boost::urls::resolve(*b, *ref, dest)) return std::nullopt;
    return std::string(dest.buffer());
}

}  // namespace certman::acme
