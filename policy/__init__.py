"""The support policy as data (policy/data/policy.yaml) plus pure rules.

loader      load and validate the policy file
severity    severity levels and the impact x workaround matrix
calendar    business-hours calendar in the customer's zone
targets     initial response and restoration due times
routing     phone lines by country; Critical always by phone
contacts    designated-contact rules
priority    priority <-> severity and priority-change paths
escalation  escalation eligibility, one named rule per seed criterion
lifecycle   inactivity closure, Resolution Proposed closing, RCA or case summary
"""
