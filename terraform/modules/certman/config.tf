# Configuration changes after the first boot. cloud-init's write_files runs once per instance, so user_data only
# seeds the first configuration (instance.tf ignores later changes to it: no reboot of every instance at once).
# A changed configuration (domains, directory, bucket...) or a new image becomes a new Cloud Assistant command
# (its name carries the hash of both), run on the first instance: it installs the configuration if certman
# accepts it, reloads, and checks that certman is active (and /var/lib/certman mounted when it is on the data
# disk; an instance from an earlier module version gets the mount and its state copied onto the disk here). alicloud_ecs_invocation waits for the result and fails the apply on failure, so the second instance
# gets the new image (instance.tf) and the configuration only after the first one is healthy.
locals {
  rollout_hash = substr(sha256("${sha256(local.certman_config)} ${var.image_id} ${local.data_disk_path}"), 0, 12)
}

resource "alicloud_ecs_command" "certman_config" {
  name        = "${var.name}-config-${local.rollout_hash}"
  description = "certman: install /etc/certman/certman.toml if check-config accepts it, reload, check health"
  type        = "RunShellScript"
  timeout     = 300
  command_content = base64encode(templatefile("${path.module}/templates/push-config.sh.tftpl", {
    config_b64     = base64encode(local.certman_config)
    data_disk_path = local.data_disk_path
  }))
}

resource "alicloud_ecs_invocation" "config_first" {
  command_id  = alicloud_ecs_command.certman_config.id
  instance_id = [alicloud_instance.certman.id]
  depends_on  = [alicloud_ecs_disk_attachment.state, alicloud_ecs_ram_role_attachment.certman]
}

resource "alicloud_ecs_invocation" "config_rest" {
  count       = length(alicloud_instance.certman_peer)
  command_id  = alicloud_ecs_command.certman_config.id
  instance_id = alicloud_instance.certman_peer[*].id
  depends_on  = [alicloud_ecs_invocation.config_first, alicloud_ecs_ram_role_attachment.certman_peer]
}
