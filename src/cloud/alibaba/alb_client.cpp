// ALB listener calls (contract in include/certman/cloud/alibaba/alb_client.hpp and listener_api.hpp).
#include "certman/cloud/alibaba/alb_client.hpp"

#include "certman/cloud/alibaba/rpc_client.hpp"

namespace certman::cloud::alibaba {
namespace {

class alb_client final : public listener_api {
public:
    alb_client(std::shared_ptr<rpc_client> rpc, std::string listener_id, std::string region)
        : rpc_(std::move(rpc)), listener_id_(std::move(listener_id)), region_(std::move(region)) {}

    lb_product product() const override { return lb_product::alb; }

    boost::asio::awaitable<result<listener_state>> read_listener() override {
        param_list p{{"ListenerId", listener_id_}};
        auto body = co_await call("GetListenerAttribute", std::move(p));
        if (!body) co_return body.error();
        co_return parse_listener(lb_product::alb, *body);
    }

    boost::asio::awaitable<result<std::string>> set_default_certificate(std::string certificate_id,
                                                                        std::string client_token) override {
        param_list p{{"ListenerId", listener_id_},
                     {"Certificates.1.CertificateId", std::move(certificate_id)},
                     {"ClientToken", std::move(client_token)}};
        auto body = co_await call("UpdateListenerAttribute", std::move(p));
        if (!body) co_return body.error();
        co_return parse_job_id("UpdateListenerAttribute", *body);
    }

    boost::asio::awaitable<result<job_state>> job(std::string job_id) override {
        param_list p{{"JobIds.1", job_id}};
        auto body = co_await call("ListAsynJobs", std::move(p));
        if (!body) co_return body.error();
        co_return parse_alb_jobs(*body, job_id);
    }

private:
    // One action; idempotent: the update carries a ClientToken, so a repeat is the same request (§3.5).
    boost::asio::awaitable<result<std::string>> call(std::string_view action, param_list params) {
        auto body = co_await rpc_->call(action, std::move(params), true);
        if (body) co_return body;
        auto hint = listener_hint(lb_product::alb, body.error().peer_code(), action, listener_id_, region_);
        if (hint.empty()) co_return body.error();
        co_return body.error().with_hint(std::move(hint));
    }

    std::shared_ptr<rpc_client> rpc_;
    std::string listener_id_, region_;
};

}  // namespace

std::shared_ptr<listener_api> make_alb_client(std::shared_ptr<rpc_client> rpc, std::string listener_id,
                                              std::string region) {
    return std::make_shared<alb_client>(std::move(rpc), std::move(listener_id), std::move(region));
}

}  // namespace certman::cloud::alibaba
