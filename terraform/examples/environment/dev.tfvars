# dev: ids of the environment's existing network and load balancer (placeholders: replace them).
environment         = "dev"
region              = "cn-hangzhou"
load_balancer_id    = "lb-CHANGE-ME"
app_server_group_id = "rsp-CHANGE-ME"
vswitch_id          = "vsw-CHANGE-ME"
domains             = ["dev.my-sample-domain.xyz"]
acme_email          = "ops@my-sample-domain.xyz"
