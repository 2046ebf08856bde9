// The server's request reader: a Beast basic_parser that keeps only what routing needs (method, target,
// version, keep-alive) and discards header fields and body bytes as they are parsed. Every certman route is
// chosen by method and path alone, so there is nothing to store per field: reading a request allocates
// nothing beyond the two strings the connection reuses (bench/README.md, "HTTP: certman vs nginx":
// per-connection cost).
// Limits stay Beast's: header_limit() (→ http::error::header_limit), body_limit() (→ http::error::body_limit,
// also for chunked bodies); keep_alive() and need_eof() follow RFC 9112 as in Beast. What bounds the memory of
// chunk extensions and trailers (which Beast needs whole in the buffer) is the caller's buffer: see server.hpp.
//
// Message framing is stricter than Beast's, so that no front end and certman can disagree on where a request
// ends (request smuggling, RFC 9112 §6.1, §6.3, §11.2). Beast already refuses Transfer-Encoding: chunked next to
// Content-Length and Content-Length values that differ; on top of that, with http::error::bad_transfer_encoding
// (answered 400, then close):
//  - Transfer-Encoding in an HTTP/1.0 request (§6.1: "MUST treat the message as if the framing is faulty"),
//  - Transfer-Encoding together with Content-Length, whatever the coding (§6.3 item 3; nginx answers 400 too),
//  - Transfer-Encoding whose final coding is not chunked, or with chunked more than once (§6.1: "MUST respond
//    with the 400 (Bad Request) status code and then close the connection"; §7: chunked at most once),
// and with framing_not_implemented (answered 501, then close) a well-framed list with another coding before
// chunked ("gzip, chunked"): §6.1 "a transfer coding it does not understand SHOULD respond with 501", as nginx.
#pragma once
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/system/errc.hpp>
#include <string>

namespace certman::net {

// The error request_head reports for a transfer coding other than chunked (see above).
inline boost::system::error_code framing_not_implemented() noexcept {
    return make_error_code(boost::system::errc::not_supported);
}

class request_head final : public boost::beast::http::basic_parser<true> {
public:
    // method and target are filled when the request line has been parsed; the caller keeps them (and their
    // capacity) across requests on one connection.
    request_head(std::string& method, std::string& target) : method_(method), target_(target) {}
    unsigned version() const noexcept { return version_; }
    boost::beast::http::verb verb() const noexcept { return verb_; }

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;
    using field = boost::beast::http::field;
    void on_request_impl(boost::beast::http::verb v, string_view method, string_view target, int version,
                         error_code&) override {
        verb_ = v;
        method_.assign(method.data(), method.size());
        target_.assign(target.data(), target.size());
        version_ = static_cast<unsigned>(version);
    }
    void on_response_impl(int, string_view, int, error_code&) override {}
    void on_field_impl(field f, string_view, string_view value, error_code& ec) override {
        if (f == field::content_length) content_length_ = true;
        if (f == field::transfer_encoding) {
            transfer_encoding_ = true;
            add_codings(value);
        }
        if (transfer_encoding_ && (content_length_ || version_ < 11))
            ec = boost::beast::http::error::bad_transfer_encoding;
    }
    void on_header_impl(error_code& ec) override {
        if (!transfer_encoding_) return;
        if (!last_chunked_ || chunked_ != 1) ec = boost::beast::http::error::bad_transfer_encoding;
        else if (other_codings_) ec = framing_not_implemented();
    }
    void on_body_init_impl(boost::optional<std::uint64_t> const&, error_code&) override {}
    std::size_t on_body_impl(string_view body, error_code&) override { return body.size(); }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override { return body.size(); }
    void on_finish_impl(error_code&) override {}

    // transfer-coding list elements (RFC 9110 §5.6.1, RFC 9112 §6.1): "a, b;param=1, , chunked"; empty
    // elements are allowed, parameters are ignored, names compare case-insensitively.
    void add_codings(string_view value) {
        while (!value.empty()) {
            const auto comma = value.find(',');
            string_view item = value.substr(0, comma);
            value = comma == string_view::npos ? string_view{} : value.substr(comma + 1);
            item = item.substr(0, item.find(';'));
            while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
            while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
            if (item.empty()) continue;
            last_chunked_ = boost::beast::iequals(item, "chunked");
            if (last_chunked_) ++chunked_;
            else other_codings_ = true;
        }
    }

    std::string& method_;
    std::string& target_;
    unsigned version_ = 11;
    boost::beast::http::verb verb_ = boost::beast::http::verb::unknown;
    bool content_length_ = false;
    bool transfer_encoding_ = false;
    bool last_chunked_ = false;
    bool other_codings_ = false;
    unsigned chunked_ = 0;
};

}  // namespace certman::net
