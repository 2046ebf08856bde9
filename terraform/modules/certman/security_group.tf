# The instances' own security group: inbound TCP 8080 from the load balancer only, nothing else.
# A VPC Classic Load Balancer reaches its backends (traffic and health checks) from 100.64.0.0/10
# (docs/deploying-on-alibaba.md, "Security group"). Outbound stays open: the CA, the SLB and OSS APIs.
data "alicloud_vswitches" "certman" {
  ids = [var.vswitch_id]
}

resource "alicloud_security_group" "certman" {
  security_group_name = "${var.name}-certman"
  description         = "certman: TCP 8080 from the SLB (100.64.0.0/10) only"
  vpc_id              = data.alicloud_vswitches.certman.vswitches[0].vpc_id
  tags                = var.tags
}

resource "alicloud_security_group_rule" "slb_to_certman" {
  security_group_id = alicloud_security_group.certman.id
  type              = "ingress"
  ip_protocol       = "tcp"
  nic_type          = "intranet"
  policy            = "accept"
  port_range        = "8080/8080"
  priority          = 1
  cidr_ip           = "100.64.0.0/10"
  description       = "SLB to certman: ACME challenges and /health"
}
