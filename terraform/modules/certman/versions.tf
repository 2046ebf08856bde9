# certman next to an existing Classic Load Balancer (SLB/CLB) and VPC: the certman ECS instance(s) with a RAM
# role and a least-privilege policy, the VServer group, the /.well-known forwarding rule on port 80, and the
# HTTPS listener on 443 with a bootstrap self-signed certificate that certman then replaces.
# Resource names are the current ones (alicloud_slb_load_balancer era): no alicloud_slb, ssl_certificate_id,
# inline servers blocks, alicloud_ram_role_attachment or alicloud_instance.role_name.
terraform {
  required_version = ">= 1.9.0" # validation conditions that name other variables: 1.9
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
      # role_name/assume_role_policy_document on alicloud_ram_role: 1.252.0; alicloud_ecs_ram_role_attachment.
      version = ">= 1.252.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = ">= 4.0.0"
    }
  }
}
