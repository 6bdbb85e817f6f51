variable "name" { type = string }
variable "zone" { type = string }
variable "key_arn" { type = string }
variable "retention" { type = number }
variable "password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "this" {
  count                   = 1
  identifier              = "orders-${var.name}"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  username                = "app"
  password                = var.password
  availability_zone       = var.zone
  backup_retention_period = var.retention
  multi_az                = false
  storage_encrypted       = true
  kms_key_id              = var.key_arn
  skip_final_snapshot     = true
}

resource "aws_rds_cluster" "this" {
  cluster_identifier      = "ledger-${var.name}"
  engine                  = "aurora-postgresql"
  master_username         = "app"
  master_password         = var.password
  backup_retention_period = 1
  storage_encrypted       = true
  skip_final_snapshot     = true
}

resource "aws_db_snapshot" "this" {
  db_instance_identifier = aws_db_instance.this[0].identifier
  db_snapshot_identifier = "orders-${var.name}-manual"
  shared_accounts        = ["999988887777"]
}

resource "aws_db_cluster_snapshot" "this" {
  db_cluster_identifier          = aws_rds_cluster.this.cluster_identifier
  db_cluster_snapshot_identifier = "ledger-${var.name}-manual"
}
