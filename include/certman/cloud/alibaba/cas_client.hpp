// The CAS (Certificate Management Service, 2020-04-07) actions the ALB/NLB deployers need, over rpc_client with
// signature V3 and every parameter in the query (reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md
// §1.1, §2): upload a certificate, list this account's uploads, read one certificate's CertIdentifier. Retries
// and the per-request timeout are rpc_client's. Every error is a failure with the Alibaba Code as peer_code()
// and, for the codes cas_hint knows, a hint naming the RAM action or setting to check.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "certman/cloud/alibaba/canonical_query.hpp"
#include "certman/cloud/alibaba/cas_model.hpp"
#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

class rpc_client;

class cas_client {
public:
    // `rpc` must use signature_style::v3_acs3_hmac_sha256 and version cas_api_version.
    explicit cas_client(std::shared_ptr<rpc_client> rpc);

    // UploadUserCertificate(Name, Cert, Key) → CertId. Not repeated after an attempt the service may have
    // carried out (timeout, bare 5xx): the caller finds the upload by name on its next pass instead of creating
    // a duplicate (names are unique per account, §2.1).
    boost::asio::awaitable<result<std::int64_t>> upload(std::string name, std::string cert_pem, std::string key_pem);

    // ListUserCertificateOrder(OrderType=UPLOAD, ShowSize=50, CurrentPage=1..) until a page is short or TotalCount
    // uploads are read. Without `status` CAS returns the ISSUED and WILLEXPIRED uploads only (§2.2); status
    // "EXPIRED" (sent as Status=EXPIRED) lists the expired ones. Errors: errc::protocol_error (page_guard.hpp) when
    // TotalCount is over max_pages · page_size or negative, a page repeats, or max_pages full pages do not end the
    // listing: a partial list could make the deployer upload a certificate CAS already has.
    boost::asio::awaitable<result<std::vector<cas_certificate>>> list_uploads(std::string status = {});

    // DeleteUserCertificate(CertId) (§2.4: "deletes an expired or uploaded certificate"; CertId in the query as
    // the SDKs send it). Repeated on rpc_client's retries: a repeat of a delete that went through fails, it
    // never deletes anything else. Which Code CAS gives for a certificate still bound to a cloud resource is
    // [unverified] (§2.4); callers treat every failure alike.
    boost::asio::awaitable<result<void>> delete_upload(std::int64_t cert_id);

    // GetUserCertificateDetail(CertId, CertFilter=true): no Cert or Key in the answer.
    boost::asio::awaitable<result<cas_certificate>> detail(std::int64_t cert_id);

    // 5000 uploads (CAS answers 10 listing calls a second, §2.2: about 10 s at the bound). Accounts that keep
    // more uploads than that (several teams' certificates) get a clear error rather than a partial list.
    static constexpr std::size_t page_size = 50;
    static constexpr int max_pages = 100;

private:
    boost::asio::awaitable<result<std::string>> call(std::string_view action, param_list params, bool idempotent);

    std::shared_ptr<rpc_client> rpc_;
};

}  // namespace certman::cloud::alibaba
