resource "aws_organizations_organizational_unit" "workloads" {
  name      = "Workloads"
  parent_id = "r-abcd"
}

resource "aws_organizations_organizational_unit" "prod" {
  name      = "Prod"
  parent_id = aws_organizations_organizational_unit.workloads.id
}

resource "aws_organizations_account" "payments" {
  name      = "payments-prod"
  email     = "aws+payments-prod@example.com"
  parent_id = aws_organizations_organizational_unit.prod.id
  tags      = { environment = "production" }
}

resource "aws_organizations_policy" "deny_leave" {
  name    = "deny-leave"
  content = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Deny", Action = "organizations:LeaveOrganization", Resource = "*" }] })
}

resource "aws_organizations_policy_attachment" "deny_leave_prod" {
  policy_id = aws_organizations_policy.deny_leave.id
  target_id = aws_organizations_organizational_unit.prod.id
}
