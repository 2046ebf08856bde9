// Checking alicloud-alb / alicloud-nlb options (contract in include/certman/deploy/cas_listener_options.hpp).
#include "certman/deploy/cas_listener_options.hpp"

#include "certman/cloud/alibaba/cas_model.hpp"
#include "certman/cloud/alibaba/lb_listener_model.hpp"
#include "certman/deploy/cas_listener_plan.hpp"

namespace certman::deploy {
namespace ali = cloud::alibaba;

std::string check_cas_listener_options(const cas_listener_options& c, std::string_view kind) {
    const auto product = kind == "alicloud-nlb" ? ali::lb_product::nlb : ali::lb_product::alb;
    if (c.region.empty()) return "expected region, e.g. \"cn-hangzhou\"";
    if (c.listener_id.empty()) return "expected listener_id (\"lsn-...\")";
    if (auto e = ali::resolve_lb_endpoint(product, c.region, c.endpoint); !e.error.empty()) return "endpoint: " + e.error;
    if (auto e = ali::resolve_cas_endpoint(c.region, c.cas_endpoint); !e.error.empty()) return "cas_endpoint: " + e.error;
    if (!valid_cas_prefix(c.cert_name_prefix))
        return "cert_name_prefix: expected 1-16 letters, digits or '_', got \"" + c.cert_name_prefix + "\"";
    if (c.keep_previous < 0 || c.keep_previous > 100)
        return "keep_previous: expected 0 to 100, got " + std::to_string(c.keep_previous);
    if (c.access_key_id.empty() != c.access_key_secret_file.empty())
        return "expected access_key_id and access_key_secret_file together (or neither, to use the environment or "
               "the ECS RAM role)";
    return {};
}

}  // namespace certman::deploy
