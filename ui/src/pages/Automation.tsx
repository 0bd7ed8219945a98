import { NotAvailableNotice } from "../components/Status";

export default function Automation() {
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Automation</h1>
          <div className="sub">Declarative automation: per asset, its last evaluations and why it was or was not requested.</div>
        </div>
      </div>
      <NotAvailableNotice
        feature="Automation evaluations"
        message="The GraphQL API has no automation evaluations yet: they arrive with the daemon's automation work, and this page lists them then."
      />
    </div>
  );
}
