output "instance_ids" {
  value = module.certman.instance_ids
}

output "ram_role_name" {
  value = module.certman.ram_role_name
}

output "https_listener_id" {
  value = module.certman.https_listener_id
}

output "bootstrap_certificate_id" {
  value = module.certman.bootstrap_certificate_id
}

output "certman_config" {
  value = module.certman.certman_config
}
