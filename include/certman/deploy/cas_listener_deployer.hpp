// The alicloud-alb and alicloud-nlb deployers: make one ALB HTTPS or NLB TCPSSL listener serve a stored
// certificate through CAS (reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §9; docs/
// deploying-on-alibaba.md). One deploy() pass:
//   1. read the listener (GetListenerAttribute) and this account's CAS uploads (ListUserCertificateOrder);
//   2. cas_listener_plan.hpp: the listener's default certificate is our CAS certificate (same SHA-256, or our
//      upload name, which carries the serial) → nothing to do;
//   3. else reuse our CAS certificate if there is one, or upload the full chain and key
//      (UploadUserCertificate; if that fails, list once more in case it was stored anyway);
//   4. GetUserCertificateDetail → CertIdentifier "<CertId>-<region>";
//   5. wait (bounded) until ListenerStatus is Running, UpdateListenerAttribute with a fresh ClientToken (the
//      same on rpc_client's retries), wait (bounded) for the job (ALB ListAsynJobs, NLB GetJobStatus), and
//      confirm with GetListenerAttribute that the default certificate is ours;
//   6. on every successful pass (already deployed included): delete certman's older CAS uploads of this
//      certificate (cas_listener_plan.hpp cas_uploads_to_delete over the default and the EXPIRED listings),
//      newest first, keeping the keep_previous most recent, never the one served, one the listener still
//      references, or anything certman did not name for this certificate (src/deploy/cas_cleanup.hpp). A refused
//      deletion is a warning, never a failed deploy; the next deploy tries again. Only this deployer's listener
//      is known here: another listener (another deployer of the same certificate, or one outside certman) that
//      still uses an older upload is protected by keep_previous >= 1 and by CAS itself, which is expected to
//      refuse deleting a certificate bound to a cloud resource ([unverified], reference §2.4);
//      docs/deploying-on-alibaba.md says so.
// Every pass starts from the services' state, so a rerun after a failure at any step converges without a
// second upload (deployer.hpp contract).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "certman/cloud/alibaba/rpc_retry.hpp"
#include "certman/deploy/cas_listener_options.hpp"
#include "certman/deploy/deployer.hpp"

namespace certman::net {
class http_client;
}
namespace certman::cloud::alibaba {
class cas_client;
class credentials_provider;
class listener_api;
}  // namespace certman::cloud::alibaba

namespace certman::deploy {

// Request tuning, waits and injected transports (tests, tools); the defaults are production's.
struct cas_listener_tuning {
    cloud::alibaba::retry_policy retry;                 // per request: throttling, busy codes, 5xx
    std::chrono::milliseconds request_timeout{30'000};  // per request attempt
    std::chrono::milliseconds first_poll{250};          // listener/job polls start here and double ...
    std::chrono::milliseconds max_poll{5'000};          // ... up to this
    std::chrono::milliseconds listener_wait{120'000};   // at most this long for ListenerStatus Running
    std::chrono::milliseconds job_wait{180'000};        // at most this long for the update job
    std::shared_ptr<net::http_client> http;             // null: net::make_http_client (1 MiB answers)
    std::shared_ptr<cloud::alibaba::credentials_provider> credentials;  // null: the options' chain
};

// The deployer over given clients (alb_deployer.hpp and nlb_deployer.hpp build them). `kind` is for messages.
std::unique_ptr<deployer> make_cas_listener_deployer(boost::asio::any_io_executor executor, std::string name,
                                                     std::string_view kind, const cas_listener_options& config,
                                                     std::shared_ptr<cloud::alibaba::cas_client> cas,
                                                     std::shared_ptr<cloud::alibaba::listener_api> listener,
                                                     const cas_listener_tuning& tuning);

// Builds the HTTP client (1 MiB answer cap), the credential chain, V3 rpc_clients for CAS and for `product` and
// the deployer over them; alb_deployer.hpp and nlb_deployer.hpp call it. Throws std::invalid_argument naming the
// deployer when check_cas_listener_options refuses the options (a startup misconfiguration).
std::unique_ptr<deployer> build_cas_listener_deployer(boost::asio::any_io_executor executor, std::string name,
                                                      std::string_view kind, bool nlb,
                                                      const cas_listener_options& config, cas_listener_tuning tuning);

}  // namespace certman::deploy
