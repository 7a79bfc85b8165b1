import { IconBuildingBank, IconDeviceDesktop, IconDeviceMobile, IconHeadset, IconMail, IconMailbox, IconMessageCircle, IconTool, IconDeviceTabletSearch, type Icon } from '@tabler/icons-react';
import type { TouchPoint } from '../../api/types';

/** Every touch point the API knows; typed as a full record so a new one fails the build until it has a label. */
export const TOUCH_POINTS: Record<TouchPoint, { label: string; icon: Icon }> = {
  branch: { label: 'Branch', icon: IconBuildingBank },
  call_centre: { label: 'Call centre', icon: IconHeadset },
  web: { label: 'Web', icon: IconDeviceDesktop },
  email: { label: 'Email', icon: IconMail },
  kiosk: { label: 'Kiosk', icon: IconDeviceTabletSearch },
  field_service: { label: 'Field service', icon: IconTool },
  mobile: { label: 'Mobile', icon: IconDeviceMobile },
  chat: { label: 'Chat', icon: IconMessageCircle },
  mail: { label: 'Mail', icon: IconMailbox },
};

export const TOUCH_POINT_CODES = Object.keys(TOUCH_POINTS) as TouchPoint[];
