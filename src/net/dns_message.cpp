// DNS TXT query/response codec (contract in include/certman/net/dns_message.hpp).
#include "certman/net/dns_message.hpp"

#include "certman/core/errc.hpp"

namespace certman::net {
namespace {

void put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xFF));
}

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A bounds-checked reader over the message; any overrun sets `bad`.
struct reader {
    std::string_view m;
    std::size_t pos = 0;
    bool bad = false;

    std::uint8_t u8() {
        if (pos + 1 > m.size()) {
            bad = true;
            return 0;
        }
        return static_cast<std::uint8_t>(m[pos++]);
    }
    std::uint16_t u16() { return static_cast<std::uint16_t>((u8() << 8) | u8()); }
    std::uint32_t u32() { return (static_cast<std::uint32_t>(u16()) << 16) | u16(); }
    std::string_view bytes(std::size_t n) {
        if (pos + n > m.size()) {
            bad = true;
            return {};
        }
        auto out = m.substr(pos, n);
        pos += n;
        return out;
    }
    // A name, written out as "a.b.c" (lowercase) when it has no compression pointer; a pointer ends it
    // (RFC 1035 §4.1.4) and is not followed: the result then ends with ".*".
    std::string name() {
        std::string out;
        for (;;) {
            const auto len = u8();
            if (bad) return {};
            if (len == 0) return out;
            if ((len & 0xC0) == 0xC0) {
                u8();
                return out + (out.empty() ? "*" : ".*");
            }
            if ((len & 0xC0) != 0) {
                bad = true;
                return {};
            }
            const auto label = bytes(len);
            if (!out.empty()) out.push_back('.');
            for (char c : label) out.push_back(fold(c));
        }
    }
};

std::string canonical_name(std::string_view name) {
    while (name.ends_with('.')) name.remove_suffix(1);
    std::string out;
    for (char c : name) out.push_back(fold(c));
    return out;
}

}  // namespace

result<std::string> encode_txt_query(std::uint16_t id, std::string_view name) {
    while (name.ends_with('.')) name.remove_suffix(1);
    std::string out;
    put16(out, id);
    put16(out, 0x0100);  // QR=0, opcode 0, RD=1
    put16(out, 1);       // QDCOUNT
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    std::size_t encoded = 1;  // the root label
    while (!name.empty()) {
        const auto dot = name.find('.');
        const auto label = name.substr(0, dot);
        if (label.empty() || label.size() > 63) return failure{errc::invalid_argument, "bad DNS label in a name"};
        encoded += label.size() + 1;
        out.push_back(static_cast<char>(label.size()));
        out += label;
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    }
    if (encoded > 255) return failure{errc::invalid_argument, "DNS name over 255 bytes"};
    out.push_back('\0');
    put16(out, dns_type_txt);
    put16(out, dns_class_in);
    return out;
}

result<dns_txt_answer> decode_txt_response(std::string_view message, std::uint16_t id, std::string_view name) {
    reader r{message};
    dns_txt_answer a;
    a.id = r.u16();
    const auto flags = r.u16();
    const auto qd = r.u16(), an = r.u16();
    r.u16();
    r.u16();
    if (r.bad) return failure{errc::parse_error, "DNS answer shorter than its header"};
    if (a.id != id || (flags & 0x8000) == 0 || qd != 1) return failure{errc::protocol_error, "not the DNS answer to our query"};
    a.truncated = (flags & 0x0200) != 0;
    a.rcode = flags & 0x000F;
    const auto qname = r.name();
    const auto qtype = r.u16(), qclass = r.u16();
    if (r.bad) return failure{errc::parse_error, "malformed question in a DNS answer"};
    if (qname != canonical_name(name) || qtype != dns_type_txt || qclass != dns_class_in)
        return failure{errc::protocol_error, "the DNS answer is for another question"};
    for (unsigned i = 0; i < an && !a.truncated; ++i) {
        r.name();
        const auto type = r.u16(), cls = r.u16();
        r.u32();
        const auto rdlength = r.u16();
        const auto rdata = r.bytes(rdlength);
        if (r.bad) return failure{errc::parse_error, "a DNS answer record runs past the message"};
        if (type != dns_type_txt || cls != dns_class_in) continue;
        std::string value;
        for (std::size_t p = 0; p < rdata.size();) {
            const auto len = static_cast<std::uint8_t>(rdata[p]);
            if (p + 1 + len > rdata.size()) return failure{errc::parse_error, "a TXT string runs past its record"};
            value.append(rdata.substr(p + 1, len));
            p += 1 + len;
        }
        a.values.push_back(std::move(value));
    }
    return a;
}

}  // namespace certman::net
