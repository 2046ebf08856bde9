# The instance's RAM role and its least-privilege policy. certman calls exactly six SLB actions
# (../shared/reference/alibaba-api.md section 2) and, with OSS storage, reads and writes under one prefix.
data "alicloud_account" "current" {}

locals {
  arn_prefix      = "acs:slb:${var.region}:${data.alicloud_account.current.id}"
  lb_arn          = "${local.arn_prefix}:loadbalancer/${var.load_balancer_id}"
  certificate_arn = "${local.arn_prefix}:certificate/*"

  slb_statements = [
    {
      # List calls: certman finds the load balancer and its own uploaded certificates by listing.
      Effect   = "Allow"
      Action   = ["slb:DescribeLoadBalancers", "slb:DescribeServerCertificates"]
      Resource = ["*"]
    },
    {
      Effect   = "Allow"
      Action   = ["slb:DescribeLoadBalancerHTTPSListenerAttribute"]
      Resource = [local.lb_arn]
    },
    {
      # Which ARNs Set checks is not documented: grant the load balancer and the certificates (reference 2).
      Effect   = "Allow"
      Action   = ["slb:SetLoadBalancerHTTPSListenerAttribute"]
      Resource = [local.lb_arn, local.certificate_arn]
    },
    {
      Effect   = "Allow"
      Action   = ["slb:UploadServerCertificate", "slb:DeleteServerCertificate"]
      Resource = [local.certificate_arn]
    },
  ]

  # OSS shared storage (reference 4.5): objects under the prefix only; listing only with that prefix.
  oss_statements = var.oss_bucket == "" ? [] : [
    {
      Effect   = "Allow"
      Action   = ["oss:GetObject", "oss:PutObject", "oss:DeleteObject"]
      Resource = ["acs:oss:*:*:${var.oss_bucket}/${var.oss_prefix}*"]
    },
    {
      # Cluster mode refuses an unversioned bucket only if it can read the setting: without this action the
      # check is skipped and two leases could both look exclusive (docs/cluster-mode.md).
      Effect   = "Allow"
      Action   = ["oss:GetBucketVersioning"]
      Resource = ["acs:oss:*:*:${var.oss_bucket}"]
    },
    {
      Effect    = "Allow"
      Action    = ["oss:ListObjects"]
      Resource  = ["acs:oss:*:*:${var.oss_bucket}"]
      Condition = { StringLike = { "oss:Prefix" = ["${var.oss_prefix}*"] } }
    },
  ]

  # DNS-01 on Alibaba Cloud DNS (README "DNS-01 on Alibaba Cloud DNS"; reference alibaba-cas-alb-nlb-alidns.md
  # sections 6-7): record actions on the zone only; DescribeDomains (zone discovery) is not resource-scoped.
  alidns_statements = var.alidns_zone == "" ? [] : [
    {
      Effect   = "Allow"
      Action   = ["alidns:AddDomainRecord", "alidns:DeleteDomainRecord", "alidns:DescribeSubDomainRecords"]
      Resource = ["acs:alidns:*:${data.alicloud_account.current.id}:domain/${var.alidns_zone}"]
    },
    {
      Effect   = "Allow"
      Action   = ["alidns:DescribeDomains"]
      Resource = ["*"]
    },
  ]
}

resource "alicloud_ram_role" "certman" {
  role_name   = "${var.name}-ecs"
  description = "certman on ECS: rotates the SLB HTTPS certificate"
  assume_role_policy_document = jsonencode({
    Version = "1"
    Statement = [{
      Action    = "sts:AssumeRole"
      Effect    = "Allow"
      Principal = { Service = ["ecs.aliyuncs.com"] }
    }]
  })
}

resource "alicloud_ram_policy" "certman" {
  policy_name = "${var.name}-certificate-rotation"
  description = "certman: the six SLB certificate actions on one load balancer, its OSS prefix, the Alidns zone"
  policy_document = jsonencode({
    Version   = "1"
    Statement = concat(local.slb_statements, local.oss_statements, local.alidns_statements)
  })
}

resource "alicloud_ram_role_policy_attachment" "certman" {
  role_name   = alicloud_ram_role.certman.role_name
  policy_name = alicloud_ram_policy.certman.policy_name
  policy_type = "Custom"
}
