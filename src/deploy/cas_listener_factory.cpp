// Building the alicloud-alb / alicloud-nlb deployers from their options (contract in
// include/certman/deploy/cas_listener_deployer.hpp).
#include <stdexcept>

#include "certman/cloud/alibaba/alb_client.hpp"
#include "certman/cloud/alibaba/cas_client.hpp"
#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/cloud/alibaba/nlb_client.hpp"
#include "certman/cloud/alibaba/rpc_client.hpp"
#include "certman/deploy/cas_listener_deployer.hpp"
#include "certman/net/http_client.hpp"

namespace certman::deploy {
namespace ali = cloud::alibaba;

std::unique_ptr<deployer> build_cas_listener_deployer(boost::asio::any_io_executor executor, std::string name,
                                                      std::string_view kind, bool nlb,
                                                      const cas_listener_options& config, cas_listener_tuning tuning) {
    if (auto bad = check_cas_listener_options(config, kind); !bad.empty())
        throw std::invalid_argument("[deployer \"" + name + "\"] " + std::string(kind) + ": " + bad);
    if (!tuning.http) {
        net::http_client_options h;
        h.max_body_bytes = ali::max_answer_bytes;
        tuning.http = net::make_http_client(executor, std::move(h));
    }
    if (!tuning.credentials) tuning.credentials = ali::make_credentials_provider_for(executor, config);
    const auto product = nlb ? ali::lb_product::nlb : ali::lb_product::alb;
    const auto v3 = ali::signature_style::v3_acs3_hmac_sha256;
    auto cas_rpc = std::make_shared<ali::rpc_client>(
        executor, tuning.http, tuning.credentials,
        ali::rpc_client_options{ali::resolve_cas_endpoint(config.region, config.cas_endpoint).url,
                                std::string(ali::cas_api_version), tuning.request_timeout, tuning.retry, v3});
    auto lb_rpc = std::make_shared<ali::rpc_client>(
        executor, tuning.http, tuning.credentials,
        ali::rpc_client_options{ali::resolve_lb_endpoint(product, config.region, config.endpoint).url,
                                std::string(nlb ? ali::nlb_api_version : ali::alb_api_version),
                                tuning.request_timeout, tuning.retry, v3});
    auto listener = nlb ? ali::make_nlb_client(std::move(lb_rpc), config.listener_id, config.region)
                        : ali::make_alb_client(std::move(lb_rpc), config.listener_id, config.region);
    return make_cas_listener_deployer(executor, std::move(name), kind, config,
                                      std::make_shared<ali::cas_client>(std::move(cas_rpc)), std::move(listener),
                                      tuning);
}

}  // namespace certman::deploy
