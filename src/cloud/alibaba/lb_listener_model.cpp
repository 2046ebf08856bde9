// ALB/NLB listener and job answers and hints (contract in include/certman/cloud/alibaba/lb_listener_model.hpp).
#include "certman/cloud/alibaba/lb_listener_model.hpp"

#include "certman/cloud/alibaba/bounded_text.hpp"
#include "certman/cloud/alibaba/cas_model.hpp"
#include "certman/cloud/alibaba/slb_model.hpp"
#include "json_shape.hpp"

namespace certman::cloud::alibaba {
using namespace detail::json_shape;

namespace {

bool equal_folded(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto fa = (a[i] >= 'A' && a[i] <= 'Z') ? a[i] - 'A' + 'a' : a[i];
        auto fb = (b[i] >= 'A' && b[i] <= 'Z') ? b[i] - 'A' + 'a' : b[i];
        if (fa != fb) return false;
    }
    return true;
}

job_status status_of(std::string_view s) {
    if (equal_folded(s, "Succeeded")) return job_status::succeeded;
    if (equal_folded(s, "Failed")) return job_status::failed;
    return job_status::processing;
}

}  // namespace

std::string_view to_string(lb_product p) noexcept { return p == lb_product::alb ? "ALB" : "NLB"; }
std::string_view ram_code(lb_product p) noexcept { return p == lb_product::alb ? "alb" : "nlb"; }

result<listener_state> parse_listener(lb_product product, std::string_view body) {
    return guarded_answer("GetListenerAttribute", body, max_answer_bytes, [product](const json::object& o) {
        listener_state s;
        s.status = text(o, "ListenerStatus");
        if (s.status.empty() || s.status.size() > max_code_bytes) throw bad_shape{};
        if (product == lb_product::nlb) {
            s.certificate_ids = strings(o, "CertificateIds");
        } else {
            for (const auto* c : objects(o, "Certificates")) s.certificate_ids.push_back(text(*c, "CertificateId"));
        }
        return s;
    });
}

result<std::string> parse_job_id(std::string_view action, std::string_view body) {
    return guarded_answer(action, body, max_answer_bytes, [](const json::object& o) {
        auto id = text(o, "JobId");
        if (id.empty() || id.size() > max_code_bytes) throw bad_shape{};
        return id;
    });
}

result<job_state> parse_alb_jobs(std::string_view body, std::string_view job_id) {
    return guarded_answer("ListAsynJobs", body, max_answer_bytes, [job_id](const json::object& o) {
        job_state j;
        for (const auto* job : objects(o, "Jobs")) {
            if (text(*job, "Id") != job_id) continue;
            j.status = status_of(text(*job, "Status"));
            j.error_code = bounded_text(text(*job, "ErrorCode"), max_code_bytes);
            j.error_message = bounded_text(text(*job, "ErrorMessage"), max_message_bytes);
        }
        return j;
    });
}

result<job_state> parse_nlb_job(std::string_view body) {
    return guarded_answer("GetJobStatus", body, max_answer_bytes, [](const json::object& o) {
        const auto status = text(o, "Status");
        if (status.empty()) throw bad_shape{};
        return job_state{status_of(status), {}, {}};
    });
}

std::string listener_hint(lb_product product, std::string_view code, std::string_view action,
                          std::string_view listener_id, std::string_view region) {
    const std::string ram(ram_code(product));
    const std::string r(region);
    if (code.starts_with("Forbidden") || code == "NoPermission" || code == "NotAuthorized")
        return "grant the RAM user or role " + ram + ":" + std::string(action) + " on acs:" + ram + ":" + r +
               ":*:loadbalancer/* (deploy/examples/alb-nlb-ram-policy.json)";
    if (equal_folded(code, "ResourceNotFound.Listener"))
        return "check listener_id \"" + std::string(listener_id) + "\": no " + std::string(to_string(product)) +
               " listener with that id in region " + r;
    if (equal_folded(code, "ResourceNotFound.LoadBalancer"))
        return "the load balancer of listener \"" + std::string(listener_id) + "\" does not exist in region " + r;
    if (equal_folded(code, "ResourceNotFound.Certificate"))
        return "the CAS certificate is not visible to " + std::string(to_string(product)) + " in region " + r +
               "; check region and cas_endpoint (international accounts may need cas.ap-southeast-1.aliyuncs.com)";
    if (code == "SignatureDoesNotMatch" || code == "IncorrectSignature" || code == "InvalidAccessKeySecret")
        return "check access_key_secret_file: it must hold the AccessKey secret of access_key_id";
    if (code.starts_with("InvalidAccessKeyId")) return "check access_key_id: the AccessKey does not exist or is disabled";
    if (code.starts_with("InvalidTimeStamp")) return "the system clock is off: synchronise it (NTP)";
    if (equal_folded(code, "IncorrectStatus.Listener") || code == "ResourceInConfiguring.Listener")
        return "the listener stayed busy (Configuring); another change may be running on it";
    return {};
}

lb_endpoint resolve_lb_endpoint(lb_product product, std::string_view region, std::string_view configured) {
    const std::string product_host(ram_code(product));
    const std::string fallback = "https://" + product_host + "." + std::string(region) + ".aliyuncs.com";
    if (configured.empty()) return {fallback, {}};
    if (auto bad = check_endpoint_url(configured, fallback); !bad.empty()) return {{}, bad};
    std::string url(configured);
    while (url.ends_with("/")) url.pop_back();
    return {url, {}};
}

}  // namespace certman::cloud::alibaba
