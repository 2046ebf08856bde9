# What the load balancer needs: certman's VServer group, the challenge forwarding rule on port 80 (health
# checked on /health), and the HTTPS listener with a bootstrap certificate that certman replaces.

resource "alicloud_slb_server_group" "certman" {
  load_balancer_id = var.load_balancer_id
  name             = "${var.name}-certman"
}

resource "alicloud_slb_server_group_server_attachment" "certman" {
  count           = var.instance_count
  server_group_id = alicloud_slb_server_group.certman.id
  server_id       = local.instance_ids[count.index]
  port            = 8080
  weight          = 100
  type            = "ecs"
  description     = "certman ${count.index + 1}"
}

# Only when the SLB has no HTTP listener yet: port 80 must exist for the forwarding rule.
resource "alicloud_slb_listener" "http" {
  count            = var.create_http_listener ? 1 : 0
  load_balancer_id = var.load_balancer_id
  protocol         = "http"
  frontend_port    = 80
  bandwidth        = -1
  server_group_id  = var.app_server_group_id
  sticky_session   = "off"
  health_check     = "on"
  health_check_uri = var.app_health_check_uri
}

# HTTP-01 validation arrives on port 80 for every domain: the rule has no domain, only the URL prefix.
resource "alicloud_slb_rule" "acme_challenge" {
  load_balancer_id          = var.load_balancer_id
  frontend_port             = 80
  name                      = "${var.name}-acme-challenge"
  url                       = var.challenge_url
  server_group_id           = alicloud_slb_server_group.certman.id
  listener_sync             = "off" # own health check: certman's /health, not the application's
  scheduler                 = "wrr"
  sticky_session            = "off"
  health_check              = "on"
  health_check_uri          = "/health"
  health_check_connect_port = 8080
  health_check_http_code    = "http_2xx"
  health_check_interval     = 5
  health_check_timeout      = 5
  healthy_threshold         = 2
  unhealthy_threshold       = 3

  depends_on = [alicloud_slb_listener.http]
}

# Bootstrap certificate: self-signed, so the listener can exist before the first ACME order. SLB wants an RSA
# key in PKCS#1 ("BEGIN RSA PRIVATE KEY"), which is what tls_private_key's private_key_pem is for RSA keys.
# The key lands in the Terraform state: keep the state in an encrypted, access-controlled backend.
resource "tls_private_key" "bootstrap" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_self_signed_cert" "bootstrap" {
  private_key_pem       = tls_private_key.bootstrap.private_key_pem
  dns_names             = var.domains
  validity_period_hours = 24 * 90
  allowed_uses          = ["key_encipherment", "digital_signature", "server_auth"]
  subject {
    common_name  = var.domains[0]
    organization = "certman bootstrap (replaced by the first ACME certificate)"
  }
}

resource "alicloud_slb_server_certificate" "bootstrap" {
  count              = var.create_https_listener ? 1 : 0
  name               = "${var.name}-bootstrap"
  server_certificate = tls_self_signed_cert.bootstrap.cert_pem
  private_key        = tls_private_key.bootstrap.private_key_pem
  tags               = var.tags
}

resource "alicloud_slb_listener" "https" {
  count                  = var.create_https_listener ? 1 : 0
  load_balancer_id       = var.load_balancer_id
  protocol               = "https"
  frontend_port          = var.https_port
  bandwidth              = -1
  server_group_id        = var.app_server_group_id
  server_certificate_id  = alicloud_slb_server_certificate.bootstrap[0].id
  tls_cipher_policy      = "tls_cipher_policy_1_2"
  enable_http2           = "on"
  sticky_session         = "off"
  health_check           = "on"
  health_check_uri       = var.app_health_check_uri
  health_check_http_code = "http_2xx"
  health_check_interval  = 5
  health_check_timeout   = 5
  healthy_threshold      = 2
  unhealthy_threshold    = 3
  x_forwarded_for {
    retrive_slb_proto = true
  }

  lifecycle {
    # certman rotates the certificate through the API; Terraform must never put the bootstrap one back.
    ignore_changes = [server_certificate_id]
  }
}
