#include "certman/core/base64url.hpp"
#include <array>

namespace certman {
namespace {
constexpr char std_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view in, const char* alphabet, bool pad) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(in[k]); };
    for (; i + 3 <= in.size(); i += 3) {
        unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    std::size_t rest = in.size() - i;
    if (rest == 1) {
        unsigned v = byte(i) << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        unsigned v = (byte(i) << 16) | (byte(i + 1) << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        if (pad) out += '=';
    }
    return out;
}

std::array<int, 256> make_table(const char* alphabet) {
    std::array<int, 256> t{};
    t.fill(-1);
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = i;
    return t;
}

result<std::string> decode(std::string_view in, const std::array<int, 256>& table, bool skip_space) {
    std::string out;
    out.reserve(in.size() * 3 / 4);
    unsigned acc = 0;
    int bits = 0;
    bool padding = false;
    for (char c : in) {
        if (skip_space && (c == '\n' || c == '\r' || c == ' ' || c == '\t')) continue;
        if (c == '=') { padding = true; continue; }
        int v = table[static_cast<unsigned char>(c)];
        if (v < 0 || padding) return errc::invalid_argument;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    if (bits >= 6) return errc::invalid_argument;  // a lone trailing character cannot encode a byte
    return out;
}
}  // namespace

std::string base64url_encode(std::string_view bytes) { return encode(bytes, url_alphabet, false); }
std::string base64_encode(std::string_view bytes) { return encode(bytes, std_alphabet, true); }

result<std::string> base64url_decode(std::string_view text) {
    static const auto table = make_table(url_alphabet);
    return decode(text, table, false);
}

result<std::string> base64_decode(std::string_view text) {
    static const auto table = make_table(std_alphabet);
    return decode(text, table, true);
}

bool is_base64url_token(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}
}  // namespace certman
