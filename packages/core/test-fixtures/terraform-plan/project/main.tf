# A small estate touching every terraform type orglint maps. Planned (never applied to AWS)
# with scripts in ../README.md to produce the plan fixtures beside this folder.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
  default_tags {
    tags = { team = "platform" }
  }
}

provider "aws" {
  alias  = "security"
  region = "eu-central-1"
  assume_role {
    role_arn = "arn:aws:iam::444455556666:role/orglint-plan"
  }
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = "Hunter2-Plan-Secret"
}

module "data" {
  source   = "./modules/data"
  password = var.db_password
  key_arn  = aws_kms_key.data.arn
}

resource "aws_kms_key" "data" {
  description         = "data key"
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "data" {
  key_id = aws_kms_key.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Owner", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "kms:*", Resource = "*" },
      { Sid = "Nonprod", Effect = "Allow", Principal = { AWS = "arn:aws:iam::999988887777:root" }, Action = "kms:Decrypt", Resource = "*" },
    ]
  })
}

resource "aws_kms_key" "audit" {
  provider    = aws.security
  description = "audit key in the security account"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Any", Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*", Condition = { StringEquals = { "kms:CallerAccount" = "111122223333" } } }]
  })
}
