# pre-production: ids of the environment's existing network and load balancer (placeholders: replace them).
environment         = "pre-production"
region              = "cn-hangzhou"
load_balancer_id    = "lb-CHANGE-ME"
app_server_group_id = "rsp-CHANGE-ME"
vswitch_id          = "vsw-CHANGE-ME"
domains             = ["preprod.my-sample-domain.xyz"]
acme_email          = "ops@my-sample-domain.xyz"
