// Element-text extraction for OSS answers (contract in the header).
#include "certman/cloud/alibaba/oss_xml.hpp"

#include <charconv>

#include "certman/core/errc.hpp"

namespace certman::cloud::alibaba {
namespace {

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// A numeric character reference body ("#65", "#x41") → code point; false when malformed or not a character.
bool char_ref(std::string_view ref, unsigned long& cp) {
    if (ref.size() < 2 || ref[0] != '#') return false;
    int base = 10;
    ref.remove_prefix(1);
    if (ref[0] == 'x') {
        base = 16;
        ref.remove_prefix(1);
    }
    if (ref.empty()) return false;
    auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), cp, base);
    if (ec != std::errc{} || end != ref.data() + ref.size()) return false;
    return cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

}  // namespace

result<std::string> xml_unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out += text[i];
            continue;
        }
        const auto semi = text.find(';', i);
        if (semi == std::string_view::npos) return make_error_code(errc::parse_error);
        const auto ref = text.substr(i + 1, semi - i - 1);
        unsigned long cp = 0;
        if (ref == "lt") out += '<';
        else if (ref == "gt") out += '>';
        else if (ref == "amp") out += '&';
        else if (ref == "quot") out += '"';
        else if (ref == "apos") out += '\'';
        else if (char_ref(ref, cp)) append_utf8(out, cp);
        else return make_error_code(errc::parse_error);
        i = semi;
    }
    return out;
}

result<std::vector<std::string>> xml_texts(std::string_view doc, std::string_view name) {
    const std::string open = "<" + std::string(name) + ">";
    const std::string empty = "<" + std::string(name) + "/>";
    const std::string close = "</" + std::string(name) + ">";
    std::vector<std::string> out;
    std::size_t pos = 0;
    for (;;) {
        const auto a = doc.find(open, pos);
        const auto b = doc.find(empty, pos);
        if (a == std::string_view::npos && b == std::string_view::npos) return out;
        if (b < a) {
            out.emplace_back();
            pos = b + empty.size();
            continue;
        }
        const auto start = a + open.size();
        const auto end = doc.find(close, start);
        if (end == std::string_view::npos) return make_error_code(errc::parse_error);
        const auto raw = doc.substr(start, end - start);
        if (raw.find('<') != std::string_view::npos) return make_error_code(errc::parse_error);
        auto text = xml_unescape(raw);
        if (!text) return text.error();
        out.push_back(std::move(*text));
        pos = end + close.size();
    }
}

result<std::string> xml_text(std::string_view doc, std::string_view name) {
    auto all = xml_texts(doc, name);
    if (!all) return all.error();
    if (all->empty()) return make_error_code(errc::not_found);
    return std::move(all->front());
}

oss_error_body parse_oss_error(std::string_view body) {
    oss_error_body e;
    if (body.find("<Error>") == std::string_view::npos) return e;
    auto field = [&](std::string_view name) {
        auto t = xml_text(body, name);
        return t ? std::move(*t) : std::string();
    };
    e.code = field("Code");
    e.message = field("Message");
    e.request_id = field("RequestId");
    return e;
}

result<oss_list_page> parse_list_objects_v2(std::string_view body) {
    if (body.find("<ListBucketResult") == std::string_view::npos) return make_error_code(errc::parse_error);
    oss_list_page page;
    auto keys = xml_texts(body, "Key");
    if (!keys) return keys.error();
    page.keys = std::move(*keys);
    auto truncated = xml_text(body, "IsTruncated");
    if (truncated && *truncated == "true") page.truncated = true;
    else if (truncated && *truncated != "false") return make_error_code(errc::parse_error);
    else if (!truncated && truncated.error() != errc::not_found) return truncated.error();
    if (page.truncated) {
        auto token = xml_text(body, "NextContinuationToken");
        if (!token || token->empty()) return make_error_code(errc::parse_error);
        page.next_token = std::move(*token);
    }
    return page;
}

result<std::string> parse_bucket_versioning(std::string_view body) {
    if (body.find("<VersioningConfiguration") == std::string_view::npos) return make_error_code(errc::parse_error);
    auto status = xml_text(body, "Status");
    if (status) return std::move(*status);
    if (status.error() == errc::not_found) return std::string();
    return status.error();
}

}  // namespace certman::cloud::alibaba
