resource "aws_iam_user" "people" {
  for_each = toset(["alice", "bob"])
  name     = each.key
  tags     = { owner = each.key }
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.people["alice"].name
}

resource "aws_iam_access_key" "bob" {
  user = aws_iam_user.people["bob"].name
}

resource "aws_iam_virtual_mfa_device" "alice" {
  virtual_mfa_device_name = "alice"
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.people["alice"].name
  groups = [aws_iam_group.admins.name]
}

resource "aws_iam_user_policy_attachment" "bob_admin" {
  user       = aws_iam_user.people["bob"].name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_policy" "read" {
  name   = "read-only-data"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}

resource "aws_iam_group_policy_attachment" "admins_read" {
  group      = aws_iam_group.admins.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }, Condition = { StringLike = { "token.actions.githubusercontent.com:sub" = "repo:example/infra:*" } } }]
  })
}

resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

resource "aws_accessanalyzer_analyzer" "org" {
  analyzer_name = "org"
  type          = "ORGANIZATION"
}
