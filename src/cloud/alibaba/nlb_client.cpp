// NLB listener calls (contract in include/certman/cloud/alibaba/nlb_client.hpp and listener_api.hpp).
#include "certman/cloud/alibaba/nlb_client.hpp"

#include "certman/cloud/alibaba/rpc_client.hpp"

namespace certman::cloud::alibaba {
namespace {

class nlb_client final : public listener_api {
public:
    nlb_client(std::shared_ptr<rpc_client> rpc, std::string listener_id, std::string region)
        : rpc_(std::move(rpc)), listener_id_(std::move(listener_id)), region_(std::move(region)) {}

    lb_product product() const override { return lb_product::nlb; }

    boost::asio::awaitable<result<listener_state>> read_listener() override {
        param_list p{{"ListenerId", listener_id_}, {"RegionId", region_}};
        auto body = co_await call("GetListenerAttribute", std::move(p), param_list{});
        if (!body) co_return body.error();
        co_return parse_listener(lb_product::nlb, *body);
    }

    // Write action: every parameter in the form body (nlb-ts updateListenerAttributeWithOptions, §4.1).
    boost::asio::awaitable<result<std::string>> set_default_certificate(std::string certificate_id,
                                                                        std::string client_token) override {
        param_list form{{"ListenerId", listener_id_},
                        {"RegionId", region_},
                        {"CertificateIds.1", std::move(certificate_id)},
                        {"ClientToken", std::move(client_token)}};
        auto body = co_await call("UpdateListenerAttribute", param_list{}, std::move(form));
        if (!body) co_return body.error();
        co_return parse_job_id("UpdateListenerAttribute", *body);
    }

    boost::asio::awaitable<result<job_state>> job(std::string job_id) override {
        param_list p{{"JobId", std::move(job_id)}};
        auto body = co_await call("GetJobStatus", std::move(p), param_list{});
        if (!body) co_return body.error();
        co_return parse_nlb_job(*body);
    }

private:
    boost::asio::awaitable<result<std::string>> call(std::string_view action, param_list query, param_list form) {
        result<std::string> body = failure{};
        if (form.empty()) body = co_await rpc_->call(action, std::move(query), true);
        else body = co_await rpc_->call_form(action, std::move(query), std::move(form), true);
        if (body) co_return body;
        auto hint = listener_hint(lb_product::nlb, body.error().peer_code(), action, listener_id_, region_);
        if (hint.empty()) co_return body.error();
        co_return body.error().with_hint(std::move(hint));
    }

    std::shared_ptr<rpc_client> rpc_;
    std::string listener_id_, region_;
};

}  // namespace

std::shared_ptr<listener_api> make_nlb_client(std::shared_ptr<rpc_client> rpc, std::string listener_id,
                                              std::string region) {
    return std::make_shared<nlb_client>(std::move(rpc), std::move(listener_id), std::move(region));
}

}  // namespace certman::cloud::alibaba
