// CAS actions for the ALB/NLB deployers (contract in include/certman/cloud/alibaba/cas_client.hpp).
#include "certman/cloud/alibaba/cas_client.hpp"

#include "certman/cloud/alibaba/page_guard.hpp"
#include "certman/cloud/alibaba/rpc_client.hpp"

namespace certman::cloud::alibaba {

cas_client::cas_client(std::shared_ptr<rpc_client> rpc) : rpc_(std::move(rpc)) {}

boost::asio::awaitable<result<std::string>> cas_client::call(std::string_view action, param_list params,
                                                             bool idempotent) {
    auto body = co_await rpc_->call(action, std::move(params), idempotent);
    if (body) co_return body;
    auto hint = cas_hint(body.error().peer_code(), action);
    if (hint.empty()) co_return body.error();
    co_return body.error().with_hint(std::move(hint));
}

boost::asio::awaitable<result<std::int64_t>> cas_client::upload(std::string name, std::string cert_pem,
                                                                std::string key_pem) {
    param_list p{{"Name", std::move(name)}, {"Cert", std::move(cert_pem)}, {"Key", std::move(key_pem)}};
    auto body = co_await call("UploadUserCertificate", std::move(p), false);
    if (!body) co_return body.error();
    co_return parse_cas_upload(*body);
}

boost::asio::awaitable<result<std::vector<cas_certificate>>> cas_client::list_uploads(std::string status) {
    std::vector<cas_certificate> all;
    page_guard pages("ListUserCertificateOrder", page_size, max_pages,
                      "delete unused uploaded certificates in CAS: certman reads at most " +
                          std::to_string(page_size * static_cast<std::size_t>(max_pages)));
    for (bool more = true; more;) {
        param_list p{{"OrderType", "UPLOAD"}, {"ShowSize", std::to_string(page_size)},
                     {"CurrentPage", std::to_string(pages.pages() + 1)}};
        if (!status.empty()) p.emplace_back("Status", status);
        auto body = co_await call("ListUserCertificateOrder", std::move(p), true);
        if (!body) co_return body.error();
        auto parsed = parse_cas_certificate_list(*body);
        if (!parsed) co_return parsed.error();
        std::vector<std::string> ids;
        for (const auto& c : parsed->certificates) ids.push_back(std::to_string(c.id));
        all.insert(all.end(), parsed->certificates.begin(), parsed->certificates.end());
        // An absent TotalCount (0) with a full page: page on until a short one, as before TotalCount was read.
        auto next = pages.numbered(ids, parsed->total_count != 0 ? std::optional(parsed->total_count) : std::nullopt);
        if (!next) co_return next.error();
        more = *next;
    }
    co_return all;
}

boost::asio::awaitable<result<cas_certificate>> cas_client::detail(std::int64_t cert_id) {
    param_list p{{"CertId", std::to_string(cert_id)}, {"CertFilter", "true"}};
    auto body = co_await call("GetUserCertificateDetail", std::move(p), true);
    if (!body) co_return body.error();
    co_return parse_cas_detail(*body);
}

boost::asio::awaitable<result<void>> cas_client::delete_upload(std::int64_t cert_id) {
    param_list p{{"CertId", std::to_string(cert_id)}};
    auto body = co_await call("DeleteUserCertificate", std::move(p), true);
    if (!body) co_return body.error();
    co_return result<void>{};
}

}  // namespace certman::cloud::alibaba
