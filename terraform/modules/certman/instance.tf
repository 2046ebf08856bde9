# The certman instance(s). Credentials come from the RAM role through the metadata service in hardened (token)
# mode: no access key on the disk, in the image or in user data.
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
  })

  user_data = templatefile("${path.module}/templates/user-data.yaml.tftpl", {
    certman_config = local.certman_config
  })
}

resource "alicloud_instance" "certman" {
  count                      = var.instance_count
  instance_name              = "${var.name}-${count.index + 1}"
  host_name                  = "${var.name}-${count.index + 1}"
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

resource "alicloud_ecs_ram_role_attachment" "certman" {
  count         = var.instance_count
  ram_role_name = alicloud_ram_role.certman.role_name
  instance_id   = alicloud_instance.certman[count.index].id
}
