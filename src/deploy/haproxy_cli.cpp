// HAProxy runtime API text (contract in the header).
#include "certman/deploy/haproxy_cli.hpp"

#include <cctype>

#include "certman/core/errc.hpp"

namespace certman::deploy::haproxy {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Calls f(line) for each line of `text`, without its "\n" or "\r\n".
template <class F>
void for_each_line(std::string_view text, F&& f) {
    while (!text.empty()) {
        auto n = text.find('\n');
        auto line = text.substr(0, n);
        text.remove_prefix(n == std::string_view::npos ? text.size() : n + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        f(line);
    }
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool valid_cli_word(std::string_view path) {
    if (path.empty()) return false;
    for (unsigned char c : path) {
        if (std::isspace(c) || std::iscntrl(c) || c == ';' || c == '\\' || c == '#' || c == '<') return false;
    }
    return true;
}

std::string sanitize_pem_payload(std::string_view pem) {
    std::string out;
    bool inside = false;
    for_each_line(pem, [&](std::string_view line) {
        line = trim(line);
        if (!inside && starts_with(line, "-----BEGIN ")) inside = true;
        if (inside && !line.empty()) out.append(line).append("\n");
        if (inside && starts_with(line, "-----END ")) inside = false;
    });
    return out;
}

std::string show_ssl_cert_command(std::string_view path) { return "show ssl cert " + std::string(path) + "\n"; }
std::string commit_ssl_cert_command(std::string_view path) { return "commit ssl cert " + std::string(path) + "\n"; }
std::string abort_ssl_cert_command(std::string_view path) { return "abort ssl cert " + std::string(path) + "\n"; }

std::string set_ssl_cert_command(std::string_view path, std::string_view pem) {
    return "set ssl cert " + std::string(path) + " <<\n" + sanitize_pem_payload(pem) + "\n";
}

std::string normalize_hex(std::string_view hex) {
    std::string out;
    for (char c : hex) {
        if (c == ':') continue;
        if (out.empty() && c == '0') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out.empty() && !hex.empty() ? "0" : out;
}

result<served_certificate> parse_show_ssl_cert(std::string_view reply) {
    served_certificate out;
    bool has_filename = false, has_serial = false, has_sha1 = false;
    for_each_line(reply, [&](std::string_view line) {
        auto colon = line.find(':');
        if (colon == std::string_view::npos) return;
        auto key = trim(line.substr(0, colon));
        auto value = trim(line.substr(colon + 1));
        if (key == "Filename") { out.filename = value; has_filename = true; }
        else if (key == "Status") out.status = value;
        else if (key == "Serial") { out.serial_hex = normalize_hex(value); has_serial = true; }
        else if (key == "SHA1 FingerPrint") { out.sha1_fingerprint = normalize_hex(value); has_sha1 = true; }
    });
    if (!has_filename) return errc::not_found;
    if (!has_serial || !has_sha1) return errc::parse_error;
    // normalize_hex strips leading zeros, which a fingerprint keeps: restore its fixed width (20 bytes).
    while (out.sha1_fingerprint.size() < 40) out.sha1_fingerprint.insert(0, "0");
    return out;
}

bool set_ssl_cert_accepted(std::string_view reply) {
    return reply.find("Transaction created for certificate") != std::string_view::npos ||
           reply.find("Transaction updated for certificate") != std::string_view::npos;
}

bool commit_ssl_cert_succeeded(std::string_view reply) {
    bool success = false;
    for_each_line(reply, [&](std::string_view line) {
        if (trim(line) == "Success!") success = true;
    });
    return success;
}

std::string reply_excerpt(std::string_view reply, std::size_t limit) {
    std::string out;
    bool space = false;
    for (unsigned char c : trim(reply)) {
        if (std::isspace(c) || std::iscntrl(c)) { space = true; continue; }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += static_cast<char>(c);
    }
    if (out.empty()) return "(no answer)";
    if (out.size() > limit) out = out.substr(0, limit) + "...";
    return out;
}

}  // namespace certman::deploy::haproxy
