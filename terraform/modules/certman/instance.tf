# The certman instance(s). Credentials come from the RAM role through the metadata service in hardened (token)
# mode: no access key on the disk, in the image or in user data.
#
# Rolling one instance at a time: a new image_id is applied by the provider in place (ReplaceSystemDisk: the
# instance keeps its ID, address, RAM role, SLB registration and data disk). The first instance is updated,
# then config.tf's invocation on it re-installs the current configuration and waits until certman is active
# again (the invocation fails, and with it the apply, if not); only then is the peer updated. The two
# instances are two resources because Terraform updates the instances of one `count` in parallel.
# Do not set the provider's features.ecs_instance.replace_on_image_update: it replaces instances instead.
locals {
  oss_endpoint = var.oss_endpoint != "" ? var.oss_endpoint : "https://oss-${var.region}-internal.aliyuncs.com"

  certman_config = templatefile("${path.module}/templates/certman.toml.tftpl", {
    domains          = var.domains
    acme_email       = var.acme_email
    acme_directory   = var.acme_directory
    region           = var.region
    load_balancer_id = var.load_balancer_id
    https_port       = var.https_port
    oss_bucket       = var.oss_bucket
    oss_prefix       = var.oss_prefix
    oss_endpoint     = local.oss_endpoint
    alidns_zone      = var.alidns_zone
  })

  instance_ids = concat([alicloud_instance.certman.id], alicloud_instance.certman_peer[*].id)
  private_ips  = concat([alicloud_instance.certman.private_ip], alicloud_instance.certman_peer[*].private_ip)
}

resource "alicloud_instance" "certman" {
  instance_name              = "${var.name}-1"
  host_name                  = "${var.name}-1"
  image_id                   = var.image_id
  instance_type              = var.instance_type
  vswitch_id                 = var.vswitch_id
  security_groups            = concat([alicloud_security_group.certman.id], var.security_group_ids)
  system_disk_category       = "cloud_essd"
  system_disk_size           = 20
  internet_max_bandwidth_out = 0 # reached through the SLB; outbound via the VPC's NAT gateway
  http_endpoint              = "enabled"
  http_tokens                = "required" # hardened metadata: token first, plain GETs refused
  user_data                  = base64encode(local.user_data)
  tags                       = merge(var.tags, { app = "certman" })

  lifecycle {
    # user_data seeds the first configuration only; later changes reach running instances one at a time
    # through config.tf (a changed user_data would do nothing but restart every instance).
    ignore_changes = [user_data]
    precondition {
      condition     = var.instance_count == 1 || var.oss_bucket != ""
      error_message = "Two certman instances need shared storage: set oss_bucket."
    }
  }
}

# The cluster's second instance (instance_count = 2, OSS storage): created or changed only once the first one
# runs the current image and configuration with certman active (alicloud_ecs_invocation.config_first).
resource "alicloud_instance" "certman_peer" {
  count                      = var.instance_count > 1 ? 1 : 0
  instance_name              = "${var.name}-2"
  host_name                  = "${var.name}-2"
  image_id                   = var.image_id
  instance_type              = var.instance_type
  vswitch_id                 = var.vswitch_id
  security_groups            = concat([alicloud_security_group.certman.id], var.security_group_ids)
  system_disk_category       = "cloud_essd"
  system_disk_size           = 20
  internet_max_bandwidth_out = 0
  http_endpoint              = "enabled"
  http_tokens                = "required"
  user_data                  = base64encode(local.peer_user_data)
  tags                       = merge(var.tags, { app = "certman" })
  depends_on                 = [alicloud_ecs_invocation.config_first]

  lifecycle {
    ignore_changes = [user_data]
  }
}

# State addresses of earlier versions of this module (one resource with count = instance_count).
moved {
  from = alicloud_instance.certman[0]
  to   = alicloud_instance.certman
}

moved {
  from = alicloud_instance.certman[1]
  to   = alicloud_instance.certman_peer[0]
}

moved {
  from = alicloud_ecs_ram_role_attachment.certman[0]
  to   = alicloud_ecs_ram_role_attachment.certman
}

moved {
  from = alicloud_ecs_ram_role_attachment.certman[1]
  to   = alicloud_ecs_ram_role_attachment.certman_peer[0]
}

resource "alicloud_ecs_ram_role_attachment" "certman" {
  ram_role_name = alicloud_ram_role.certman.role_name
  instance_id   = alicloud_instance.certman.id
}

resource "alicloud_ecs_ram_role_attachment" "certman_peer" {
  count         = length(alicloud_instance.certman_peer)
  ram_role_name = alicloud_ram_role.certman.role_name
  instance_id   = alicloud_instance.certman_peer[count.index].id
}
