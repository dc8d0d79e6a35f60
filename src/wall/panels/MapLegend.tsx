// What the marks on the wall's map mean, in a corner of the map: a wall has no hover to explain them.
import { useT } from '../../i18n/index.tsx';
import { layerColors, personnelColors, vehicleColors } from '../../map/palette.ts';

/** `staff`: the scene draws staff and devices. */
export function MapLegend({ staff }: { staff: boolean }) {
  const t = useT();
  const vehicles = [vehicleColors.sanitation, vehicleColors.drainage, vehicleColors.inspection, vehicleColors.emergency];
  return (
    <ul className="wall-legend" data-testid="map-legend">
      <li><span className="mark pulse" style={{ color: layerColors.sensorAlarm }} />{t('status.alarm')}</li>
      <li><span className="mark pulse small" style={{ color: layerColors.sensorWarning }} />{t('status.warning')}</li>
      <li><span className="mark dot ringed" style={{ color: layerColors.sensor }} />{t('wall.legendSensor')}</li>
      <li>
        {vehicles.map((c) => <span key={c} className="mark dot tiny" style={{ color: c }} />)}
        {t('wall.vehicles')}
      </li>
      {staff && (
        <>
          <li data-testid="legend-staff">
            <span className="mark dot ringed" style={{ color: personnelColors.gridWorker }} />
            <span className="mark dot ringed" style={{ color: personnelColors.enforcer }} />
            {t('wall.legendStaff')}
          </li>
          <li><span className="mark dot ringed small" style={{ color: personnelColors.device }} />{t('wall.legendDevice')}</li>
        </>
      )}
      <li><span className="mark ring" style={{ color: layerColors.caseOpen }} />{t('wall.legendNewCase')}</li>
      <li><span className="mark area" style={{ color: '#ff6b6b' }} />{t('wall.blindGrids')}</li>
    </ul>
  );
}
