variable "password" {
  type      = string
  sensitive = true
}

variable "key_arn" {
  type = string
}

output "log_bucket" {
  value = aws_s3_bucket.logs.bucket
}

resource "aws_s3_bucket" "logs" {
  bucket = "orglint-fixture-logs"
  tags   = { data = "logs" }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.key_arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 400
    }
  }
}

resource "aws_s3_bucket" "replica" {
  bucket = "orglint-fixture-replica"
}

resource "aws_s3_bucket_replication_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  role   = "arn:aws:iam::111122223333:role/replication"
  rule {
    id     = "to-replica"
    status = "Enabled"
    filter {
      prefix = "audit/"
    }
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket  = aws_s3_bucket.replica.arn
      account = "111122223333"
    }
  }
  rule {
    id       = "to-archive"
    status   = "Enabled"
    priority = 2
    filter {}
    delete_marker_replication {
      status = "Disabled"
    }
    destination {
      bucket = "arn:aws:s3:::archive-in-nonprod"
    }
  }
}

module "db" {
  source     = "./modules/db"
  for_each   = { eu = "eu-west-1a", backup = "eu-west-1b" }
  name       = each.key
  zone       = each.value
  password   = var.password
  key_arn    = var.key_arn
  retention  = each.key == "eu" ? 7 : 35
}
