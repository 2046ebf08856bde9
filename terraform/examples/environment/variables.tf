variable "environment" {
  description = "dev, pre-production or production (the GitLab branch names)."
  type        = string
  validation {
    condition     = contains(["dev", "pre-production", "production"], var.environment)
    error_message = "environment must be dev, pre-production or production."
  }
}

variable "region" {
  description = "Region, e.g. \"cn-hangzhou\"."
  type        = string
}

variable "load_balancer_id" {
  description = "The environment's existing SLB (CLB) instance."
  type        = string
}

variable "app_server_group_id" {
  description = "VServer group of the application servers."
  type        = string
}

variable "vswitch_id" {
  description = "VSwitch for the certman instances (the SLB's VPC)."
  type        = string
}

variable "security_group_ids" {
  description = "Extra security groups for the certman instances; the module creates the one that admits the SLB on 8080."
  type        = list(string)
  default     = []
}

variable "image_id" {
  description = "Image from deploy/packer/certman.json (the pipeline passes the one it just built)."
  type        = string
}

variable "domains" {
  description = "Names on the certificate."
  type        = list(string)
}

variable "acme_email" {
  description = "ACME account contact."
  type        = string
}

variable "acme_directory" {
  description = "Override of the environment's ACME directory (staging for dev and pre-production)."
  type        = string
  default     = ""
}

variable "create_http_listener" {
  description = "Create the port-80 listener if the SLB has none."
  type        = bool
  default     = false
}

variable "oss_bucket" {
  description = "OSS bucket for shared storage (production runs two instances when set)."
  type        = string
  default     = ""
}

variable "data_disk_size" {
  description = "GiB of the data disk that keeps /var/lib/certman across new images when oss_bucket is empty. 0: state on the system disk, lost with each new image (refused in production)."
  type        = number
  default     = 20
}

variable "create_https_listener" {
  description = "Create the HTTPS listener with a bootstrap certificate. false when the SLB already has one on 443 (migrating: docs/upgrading-from-certbot.md)."
  type        = bool
  default     = true
}

variable "challenge_url" {
  description = "URL prefix the port-80 rule forwards to certman. During a migration, a path nothing uses yet (docs/upgrading-from-certbot.md step 1)."
  type        = string
  default     = "/.well-known/acme-challenge"
}

variable "alidns_zone" {
  description = "Alibaba Cloud DNS zone for DNS-01 (wildcard names); \"\" = HTTP-01 through the SLB."
  type        = string
  default     = ""
}
