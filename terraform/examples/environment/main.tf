# One environment of certman (dev, pre-production or production, chosen by var.environment), next to the
# environment's existing SLB and VPC. Credentials: ALICLOUD_ACCESS_KEY / ALICLOUD_SECRET_KEY in the environment
# of whoever runs Terraform (a CI secret), never in these files.
#   terraform init -backend-config="bucket=<state bucket>" -backend-config="prefix=certman/dev" ...
#   terraform plan -var-file=dev.tfvars -var image_id=m-xxxx
terraform {
  required_version = ">= 1.9.0" # validation conditions that name other variables: 1.9
  required_providers {
    alicloud = {
      source  = "aliyun/alicloud"
      version = ">= 1.252.0"
    }
    tls = {
      source  = "hashicorp/tls"
      version = ">= 4.0.0"
    }
  }
  # State in OSS (encrypted bucket, versioning on): it holds the bootstrap key. Settings come from -backend-config.
  backend "oss" {}
}

provider "alicloud" {
  region = var.region
}

locals {
  # What differs between environments; everything else is a variable in <environment>.tfvars.
  profiles = {
    dev = {
      instance_type  = "ecs.t6-c1m1.large"
      instance_count = 1
      acme_directory = "https://acme-staging-v02.api.letsencrypt.org/directory"
    }
    pre-production = {
      instance_type  = "ecs.t6-c1m1.large"
      instance_count = 1
      acme_directory = "https://acme-staging-v02.api.letsencrypt.org/directory"
    }
    production = {
      instance_type  = "ecs.t6-c1m2.large"
      instance_count = var.oss_bucket == "" ? 1 : 2
      acme_directory = "https://acme-v02.api.letsencrypt.org/directory"
    }
  }
  profile = local.profiles[var.environment]
}

module "certman" {
  source = "../../modules/certman"

  name                  = "certman-${var.environment}"
  region                = var.region
  load_balancer_id      = var.load_balancer_id
  app_server_group_id   = var.app_server_group_id
  vswitch_id            = var.vswitch_id
  security_group_ids    = var.security_group_ids
  image_id              = var.image_id
  instance_type         = local.profile.instance_type
  instance_count        = local.profile.instance_count
  domains               = var.domains
  acme_email            = var.acme_email
  acme_directory        = var.acme_directory != "" ? var.acme_directory : local.profile.acme_directory
  create_http_listener  = var.create_http_listener
  create_https_listener = var.create_https_listener
  challenge_url         = var.challenge_url
  alidns_zone           = var.alidns_zone
  oss_bucket            = var.oss_bucket
  production            = var.environment == "production"
  data_disk_size        = var.data_disk_size
  oss_prefix            = "certman/${var.environment}/"
  tags                  = { environment = var.environment, managed_by = "terraform" }
}
