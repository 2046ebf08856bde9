// SLB 2014-05-15 actions (contract in the header).
#include "certman/cloud/alibaba/slb_client.hpp"

#include "certman/core/errc.hpp"

namespace certman::cloud::alibaba {

slb_client::slb_client(std::shared_ptr<rpc_client> rpc, std::string region)
    : rpc_(std::move(rpc)), region_(std::move(region)) {}

boost::asio::awaitable<result<std::string>> slb_client::call(std::string_view action, param_list params,
                                                             bool idempotent) {
    params.emplace_back("RegionId", region_);
    co_return co_await rpc_->call(action, std::move(params), idempotent);
}

template <class T>
result<T> slb_client::parsed(std::string_view action, result<T> r) {
    if (!r) return r.error().with_message(std::string(action) + ": the answer does not have the documented shape");
    return r;
}

boost::asio::awaitable<result<std::vector<load_balancer>>> slb_client::describe_load_balancers(
    const std::string& id, const std::string& name) {
    param_list p{{"PageSize", "100"}};
    if (!id.empty()) p.emplace_back("LoadBalancerId", id);
    else p.emplace_back("LoadBalancerName", name);
    auto body = co_await call("DescribeLoadBalancers", std::move(p));
    if (!body) co_return body.error();
    co_return parsed("DescribeLoadBalancers", parse_load_balancers(*body));
}

boost::asio::awaitable<result<https_listener>> slb_client::describe_https_listener(
    const std::string& load_balancer_id, int port) {
    // (Parameter lists are built before co_await: GCC 12 miscompiles braced lists inside co_await expressions.)
    param_list p{{"LoadBalancerId", load_balancer_id}, {"ListenerPort", std::to_string(port)}};
    auto body = co_await call("DescribeLoadBalancerHTTPSListenerAttribute", std::move(p));
    if (!body) co_return body.error();
    co_return parsed("DescribeLoadBalancerHTTPSListenerAttribute", parse_https_listener(*body));
}

boost::asio::awaitable<result<std::vector<server_certificate>>> slb_client::describe_server_certificates() {
    auto body = co_await call("DescribeServerCertificates", param_list{});
    if (!body) co_return body.error();
    co_return parsed("DescribeServerCertificates", parse_server_certificates(*body));
}

boost::asio::awaitable<result<server_certificate>> slb_client::upload_server_certificate(
    const std::string& name, const std::string& certificate_pem, const std::string& pkcs1_key_pem) {
    param_list p{{"ServerCertificateName", name}, {"ServerCertificate", certificate_pem}, {"PrivateKey", pkcs1_key_pem}};
    auto body = co_await call("UploadServerCertificate", std::move(p), false);
    if (!body) co_return body.error();
    co_return parsed("UploadServerCertificate", parse_uploaded_certificate(*body));
}

boost::asio::awaitable<result<void>> slb_client::set_https_listener_certificate(const std::string& load_balancer_id,
                                                                                int port,
                                                                                const std::string& certificate_id) {
    param_list p{{"LoadBalancerId", load_balancer_id},
                 {"ListenerPort", std::to_string(port)},
                 {"ServerCertificateId", certificate_id}};
    auto body = co_await call("SetLoadBalancerHTTPSListenerAttribute", std::move(p));
    if (!body) co_return body.error();
    co_return result<void>{};
}

boost::asio::awaitable<result<void>> slb_client::delete_server_certificate(const std::string& certificate_id) {
    param_list p{{"ServerCertificateId", certificate_id}};
    auto body = co_await call("DeleteServerCertificate", std::move(p));
    if (!body) co_return body.error();
    co_return result<void>{};
}

}  // namespace certman::cloud::alibaba
