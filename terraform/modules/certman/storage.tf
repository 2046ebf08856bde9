# Where certman keeps its state (/var/lib/certman: account key, certificates, renewal state) when it is not in
# OSS: a data disk of its own. A new image replaces only the system disk, so the state survives every deploy
# (without it, each pipeline run would order new certificates: Let's Encrypt allows 5 duplicates a week).
# Two instances share OSS, so the disk exists only for the single instance with dir storage.
# The disk is a resource of its own, not an inline data_disks block: were the instance ever replaced, the
# attachment follows the new instance and the disk with its state stays (delete_with_instance = false).
# On the instance (templates/user-data.yaml.tftpl): /etc/fstab mounts it by its stable ID
# (/dev/disk/by-id/<prefix><disk ID without "d-">), systemd formats it only if it is blank (x-systemd.makefs),
# and certman.service starts only once it is mounted (RequiresMountsFor=/var/lib/certman).
locals {
  data_disk = var.oss_bucket == "" && var.data_disk_size > 0

  # The disk's serial number as the guest sees it is its ID without the "d-" prefix.
  data_disk_path = local.data_disk ? "${var.data_disk_device_prefix}${trimprefix(alicloud_ecs_disk.state[0].id, "d-")}" : ""

  user_data = templatefile("${path.module}/templates/user-data.yaml.tftpl", {
    certman_config = local.certman_config
    data_disk_path = local.data_disk_path
  })
  peer_user_data = templatefile("${path.module}/templates/user-data.yaml.tftpl", {
    certman_config = local.certman_config
    data_disk_path = ""
  })
}

resource "alicloud_ecs_disk" "state" {
  count                = local.data_disk ? 1 : 0
  disk_name            = "${var.name}-state"
  description          = "certman: /var/lib/certman (account key, certificates, renewal state)"
  zone_id              = data.alicloud_vswitches.certman.vswitches[0].zone_id
  category             = "cloud_essd"
  performance_level    = "PL0"
  size                 = var.data_disk_size
  encrypted            = true # it holds private keys
  delete_auto_snapshot = false
  tags                 = merge(var.tags, { app = "certman" })
}

resource "alicloud_ecs_disk_attachment" "state" {
  count                = local.data_disk ? 1 : 0
  disk_id              = alicloud_ecs_disk.state[0].id
  instance_id          = alicloud_instance.certman.id
  delete_with_instance = false
}
