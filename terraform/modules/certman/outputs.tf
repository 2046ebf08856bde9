output "instance_ids" {
  description = "The certman ECS instances."
  value       = local.instance_ids
}

output "private_ips" {
  description = "Their private addresses (admin port 9090 is on loopback only: use SSH port forwarding)."
  value       = local.private_ips
}

output "ram_role_name" {
  description = "The RAM role attached to the instances."
  value       = alicloud_ram_role.certman.role_name
}

output "ram_policy_document" {
  description = "The least-privilege policy, for review."
  value       = alicloud_ram_policy.certman.policy_document
}

output "server_group_id" {
  description = "certman's VServer group (port 8080)."
  value       = alicloud_slb_server_group.certman.id
}

output "challenge_rule_id" {
  description = "The port-80 forwarding rule for the challenge URL."
  value       = alicloud_slb_rule.acme_challenge.id
}

output "https_listener_id" {
  description = "The HTTPS listener certman keeps current (empty when it was not created here)."
  value       = one(alicloud_slb_listener.https[*].id)
}

output "bootstrap_certificate_id" {
  description = "The self-signed bootstrap certificate; delete it once certman has deployed a real one."
  value       = one(alicloud_slb_server_certificate.bootstrap[*].id)
}

output "certman_config" {
  description = "The rendered /etc/certman/certman.toml (holds no secret)."
  value       = local.certman_config
}
