// The six SLB/CLB 2014-05-15 actions certman needs to rotate an HTTPS listener's certificate (reference
// alibaba-api.md §2), on top of rpc_client (signing, retries, timeouts). Every call sends RegionId.
// On failure each returns the rpc_client error (errc::cloud_error, errc::timeout, ...) or errc::parse_error for a
// 2xx body of the wrong shape; the failure's message names the action, Code, HTTP status and RequestId, and
// its peer_code() is the Code.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "certman/cloud/alibaba/rpc_client.hpp"
#include "certman/cloud/alibaba/slb_model.hpp"

namespace certman::cloud::alibaba {

inline constexpr std::string_view slb_api_version = "2014-05-15";

class slb_client {
public:
    slb_client(std::shared_ptr<rpc_client> rpc, std::string region);

    // DescribeLoadBalancers filtered by LoadBalancerId (when non-empty) else by LoadBalancerName.
    boost::asio::awaitable<result<std::vector<load_balancer>>> describe_load_balancers(const std::string& id,
                                                                                       const std::string& name);
    // DescribeLoadBalancerHTTPSListenerAttribute. A missing listener is errc::cloud_error, Code ListenerNotFound.
    boost::asio::awaitable<result<https_listener>> describe_https_listener(const std::string& load_balancer_id,
                                                                           int port);
    // DescribeServerCertificates: every server certificate of the region (names, fingerprints, no keys).
    boost::asio::awaitable<result<std::vector<server_certificate>>> describe_server_certificates();
    // UploadServerCertificate. `certificate_pem`: leaf then intermediates; `pkcs1_key_pem`: "BEGIN RSA PRIVATE
    // KEY". Never retried after a timeout (it is not idempotent): look the fingerprint up instead.
    boost::asio::awaitable<result<server_certificate>> upload_server_certificate(const std::string& name,
                                                                                 const std::string& certificate_pem,
                                                                                 const std::string& pkcs1_key_pem);
    // SetLoadBalancerHTTPSListenerAttribute with only RegionId, LoadBalancerId, ListenerPort, ServerCertificateId:
    // every other listener setting stays as it is.
    boost::asio::awaitable<result<void>> set_https_listener_certificate(const std::string& load_balancer_id, int port,
                                                                        const std::string& certificate_id);
    // DeleteServerCertificate. A certificate still bound: errc::cloud_error, Code CertificateAndPrivateKeyIsRefered.
    boost::asio::awaitable<result<void>> delete_server_certificate(const std::string& certificate_id);

private:
    boost::asio::awaitable<result<std::string>> call(std::string_view action, param_list params, bool idempotent = true);
    template <class T>
    result<T> parsed(std::string_view action, result<T> r);

    std::shared_ptr<rpc_client> rpc_;
    std::string region_;
};

}  // namespace certman::cloud::alibaba
