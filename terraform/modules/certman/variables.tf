variable "name" {
  description = "Prefix of every resource name, e.g. \"certman-prod\". Letters, digits and '-' (what RAM accepts in role and policy names); starts with a letter."
  type        = string
  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,39}$", var.name))
    error_message = "name must start with a letter and hold at most 40 letters, digits or '-' (RAM role and policy names allow no '.' or '_' in both)."
  }
}

variable "region" {
  description = "Region of the load balancer and the instances, e.g. \"cn-hangzhou\"."
  type        = string
}

variable "load_balancer_id" {
  description = "The existing SLB (CLB) instance whose listeners certman serves."
  type        = string
}

variable "app_server_group_id" {
  description = "VServer group of the application servers: the backend of the HTTPS listener (and of the HTTP listener if this module creates it)."
  type        = string
}

variable "vswitch_id" {
  description = "VSwitch (in the SLB's VPC) for the certman instances."
  type        = string
}

variable "security_group_ids" {
  description = "Extra security groups for the instances (e.g. SSH from a bastion). The module's own group already admits TCP 8080 from the SLB (100.64.0.0/10) and nothing else."
  type        = list(string)
  default     = []
}

variable "image_id" {
  description = "The certman image built by deploy/packer/certman.json (the .deb installed, the unit enabled)."
  type        = string
}

variable "instance_type" {
  description = "ECS instance type; certman needs little (idle RSS under 8 MiB)."
  type        = string
  default     = "ecs.t6-c1m1.large"
}

variable "instance_count" {
  description = "1, or 2 for cluster mode (then storage must be OSS, so both instances share one account and certificate)."
  type        = number
  default     = 1
  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 2
    error_message = "instance_count must be 1 or 2."
  }
}

variable "domains" {
  description = "DNS names on the certificate; each must resolve to the SLB (HTTP-01), or lie in alidns_zone (DNS-01, which also allows \"*.name\")."
  type        = list(string)
  validation {
    condition     = length(var.domains) > 0
    error_message = "domains must hold at least one name."
  }
}

variable "acme_email" {
  description = "Contact address for the ACME account."
  type        = string
}

variable "acme_directory" {
  description = "ACME directory URL. Use Let's Encrypt staging for dev and pre-production."
  type        = string
  default     = "https://acme-v02.api.letsencrypt.org/directory"
}

variable "https_port" {
  description = "Frontend port of the HTTPS listener certman keeps current."
  type        = number
  default     = 443
}

variable "create_https_listener" {
  description = "Create the HTTPS listener (with the bootstrap certificate). false if the SLB already has one on https_port."
  type        = bool
  default     = true
}

variable "create_http_listener" {
  description = "Create the HTTP listener on port 80 (backend: app_server_group_id). false if it exists already."
  type        = bool
  default     = false
}

variable "challenge_url" {
  description = "URL prefix forwarded to certman on port 80. \"/.well-known\" also forwards the old probe page."
  type        = string
  default     = "/.well-known/acme-challenge"
}

variable "app_health_check_uri" {
  description = "Health check path of the application servers behind the HTTPS listener."
  type        = string
  default     = "/health"
}

variable "oss_bucket" {
  description = "OSS bucket for shared storage; empty keeps the state in /var/lib/certman on the data disk (data_disk_size)."
  type        = string
  default     = ""
}

variable "production" {
  description = "Production: certman's state must survive a new image (no re-orders against the CA's duplicate-certificate limit), so storage is OSS or the data disk."
  type        = bool
  default     = true
}

variable "data_disk_size" {
  description = "Size in GiB of the data disk for /var/lib/certman (dir storage, i.e. oss_bucket empty); it survives new images. 0 keeps the state on the system disk, lost with every new image (not allowed in production)."
  type        = number
  default     = 20
  validation {
    condition     = var.data_disk_size == 0 || (var.data_disk_size >= 20 && var.data_disk_size <= 32768 && floor(var.data_disk_size) == var.data_disk_size)
    error_message = "data_disk_size must be 0 (no data disk) or a whole number of GiB from 20 to 32768."
  }
  validation {
    condition     = !var.production || var.oss_bucket != "" || var.data_disk_size > 0
    error_message = "production = true needs certman's state to survive a new image: set oss_bucket (shared OSS storage) or keep data_disk_size > 0 (/var/lib/certman on a data disk). A state on the system disk is lost on every deploy, and each loss re-orders the certificates."
  }
}

variable "data_disk_device_prefix" {
  description = "How the guest names a data disk by its serial number (the disk ID without \"d-\"): virtio-blk instance types (the default, e.g. ecs.t6) show /dev/disk/by-id/virtio-<serial>; NVMe instance types show /dev/disk/by-id/nvme-Alibaba_Cloud_Elastic_Block_Storage_<serial>."
  type        = string
  default     = "/dev/disk/by-id/virtio-"
  validation {
    condition     = startswith(var.data_disk_device_prefix, "/dev/disk/by-id/")
    error_message = "data_disk_device_prefix must be a stable name under /dev/disk/by-id/ (never /dev/vdb: device letters follow attach order)."
  }
}

variable "oss_prefix" {
  description = "Object prefix certman may use in oss_bucket (ends with '/'). The RAM policy grants nothing outside it."
  type        = string
  default     = "certman/"
  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/$", var.oss_prefix))
    error_message = "oss_prefix must be a relative path ending with '/', like \"certman/prod/\"."
  }
}

variable "oss_endpoint" {
  description = "OSS endpoint; empty means the region's internal endpoint."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags added to every resource that takes tags."
  type        = map(string)
  default     = {}
}

variable "alidns_zone" {
  description = "Alibaba Cloud DNS zone in which certman proves control by DNS-01 TXT records (renders [challenge] type = \"dns-01\", provider = \"alidns\" and grants the alidns: actions on this zone); \"\" = HTTP-01 through the SLB, no DNS permissions"
  type        = string
  default     = ""
}
