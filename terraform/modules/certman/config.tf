# Configuration changes after the first boot. cloud-init's write_files runs once per instance, so user_data only
# seeds the first configuration (instance.tf ignores later changes to it: no reboot of every instance at once).
# A changed configuration (domains, directory, bucket...) becomes a new Cloud Assistant command, run on one
# instance first; only when certman there accepted and reloaded it does the next instance get it.
resource "alicloud_ecs_command" "certman_config" {
  name        = "${var.name}-config-${substr(sha256(local.certman_config), 0, 12)}"
  description = "certman: install /etc/certman/certman.toml if check-config accepts it, then reload"
  type        = "RunShellScript"
  timeout     = 120
  command_content = base64encode(templatefile("${path.module}/templates/push-config.sh.tftpl", {
    config_b64 = base64encode(local.certman_config)
  }))
}

resource "alicloud_ecs_invocation" "config_first" {
  command_id  = alicloud_ecs_command.certman_config.id
  instance_id = [alicloud_instance.certman[0].id]
}

resource "alicloud_ecs_invocation" "config_rest" {
  count       = var.instance_count > 1 ? 1 : 0
  command_id  = alicloud_ecs_command.certman_config.id
  instance_id = slice(alicloud_instance.certman[*].id, 1, var.instance_count)
  depends_on  = [alicloud_ecs_invocation.config_first]
}
